/** True for a JSON media type: `application/json`, `application/problem+json`, any `+json`. */
export function isJsonType(contentType: string): boolean {
  return /^application\/([a-z0-9.+-]+\+)?json\b/i.test(contentType);
}
