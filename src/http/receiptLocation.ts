/** Where a key's receipt is read: `{scope}{id}/tasks/{key}`, the key percent-encoded. */
export function receiptLocation(scope: string, actorId: string, key: string): string {
  return `${scope}${actorId}/tasks/${encodeURIComponent(key)}`;
}
