/**
 * Text a test sends through a page's BiDi connection so that the proxy carrying that connection can
 * tell it is the page's browser (Playwright does not expose which process a page lives in).
 */
export const markerPrefix = 'actordav-firefox-marker:';

/** Finds every marker in a message Playwright sent. */
export function markersIn(message: string): string[] {
  if (!message.includes(markerPrefix)) return [];
  return [...message.matchAll(/actordav-firefox-marker:[0-9a-f-]{36}/g)].map((match) => match[0]);
}
