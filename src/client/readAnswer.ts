import type { ActorAnswer } from './ActorResult.ts';
import { isJsonType } from './isJsonType.ts';

/**
 * Reads a Response into an answer: header names lower-case, a JSON body
 * parsed (`application/json`, `application/problem+json`), any other body
 * kept as text. Throws a TypeError when the body stream breaks (the worker
 * stopped while answering), which the caller retries like a network error.
 */
export async function readAnswer(response: Response): Promise<ActorAnswer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await response.text();
  const type = headers['content-type'] ?? '';
  let body: unknown = text;
  if (text !== '' && isJsonType(type)) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers, body };
}
