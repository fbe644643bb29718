/** A PROPFIND answer that is not well-formed XML or not a WebDAV multistatus. */
export class MultistatusParseError extends Error {
  override name = 'MultistatusParseError' as const;
}
