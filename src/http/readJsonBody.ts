import { ActorError } from '../errors/ActorError.ts';

/** A request body that passed every check: its raw bytes and the parsed object. */
export interface JsonBody {
  bytes: Uint8Array;
  value: Record<string, unknown>;
}

const jsonMediaType = /^application\/([a-z0-9.+-]+\+)?json$/;
const maxDepth = 64;

/**
 * Reads a JSON object body: a JSON media type, at most `maxBytes` (read as a
 * stream where the engine has one, so a huge body is cut off early), strict
 * UTF-8, at most 64 levels deep.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  checkContentType(request.headers.get('content-type'));
  const bytes = await readBytes(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (cause) {
    throw new ActorError('invalid-json', 'The body is not UTF-8 JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ActorError('body-not-object');
  }
  if (depthOf(value) > maxDepth) {
    throw new ActorError('body-too-deep', `At most ${maxDepth} levels of nesting are allowed`);
  }
  return { bytes, value: value as Record<string, unknown> };
}

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = params.find((param) => param.startsWith('charset='));
  const charsetOk = charset === undefined || /^charset="?utf-8"?$/.test(charset);
  if (!jsonMediaType.test(type) || !charsetOk) {
    throw new ActorError('unsupported-media-type', 'Send Content-Type: application/json (UTF-8)');
  }
}

async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new ActorError('body-too-large', `The body is larger than ${maxBytes} bytes`, {
      extensions: { maxBodyBytes: maxBytes },
    });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge();
  // Firefox's Request has no `body` stream at all (undefined, not null): read it whole.
  const { body } = request as { body?: ReadableStream<Uint8Array> | null };
  if (body === undefined) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge();
    return bytes;
  }
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

// Iterative, so a hostile body cannot overflow the stack here.
function depthOf(root: object): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > maxDepth) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
