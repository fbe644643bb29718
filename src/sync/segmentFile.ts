import { canonicalJson } from '../actor/canonicalJson.ts';
import type { JsonObject, Message } from '../actor/message.ts';
import { sha256Hex } from '../crypto/sha256Hex.ts';
import { SyncError } from '../errors/SyncError.ts';
import { segmentName, type SegmentName } from './segmentName.ts';

/** One accepted message as a log segment carries it. */
export interface LoggedMessage {
  seq: number;
  key: string;
  fingerprint: string;
  message: Message;
  at: number;
  /**
   * The `commandsVersion` of the worker that accepted it: a folder with an
   * older one leaves it unfolded ([folding](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#folding)). Segments written before it
   * was logged have none, which means 0.
   */
  commandsVersion?: number;
}

/** A log segment: one device's messages for a gap-free seq range, in seq order. */
export interface Segment {
  format: 1;
  actorId: string;
  deviceId: string;
  first: number;
  last: number;
  messages: LoggedMessage[];
}

/** The segment's bytes (canonical JSON, so the same range always gives the same bytes) and its name. */
export async function encodeSegment(segment: Segment): Promise<{ name: string; body: string }> {
  const body = canonicalJson(segment);
  const hash8 = (await sha256Hex(body)).slice(0, 8);
  return { name: segmentName(segment.deviceId, segment.first, segment.last, hash8), body };
}

/**
 * Reads a segment fetched from the remote and checks it against its name:
 * the hash, the device, the range and every message's shape. A remote file
 * that fails is never folded (its device's run stops there).
 */
export async function decodeSegment(
  actorId: string,
  named: SegmentName,
  body: string,
): Promise<Segment> {
  const broken = (why: string) =>
    new SyncError('remote-protocol', `Log segment ${named.name} is broken: ${why}`);
  if ((await sha256Hex(body)).slice(0, 8) !== named.hash8)
    throw broken('its content does not match its hash');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new SyncError('remote-protocol', `Log segment ${named.name} is not JSON`, { cause });
  }
  const segment = value as Partial<Segment> | null;
  if (segment?.format !== 1) throw broken('unknown format');
  if (segment.actorId !== actorId || segment.deviceId !== named.deviceId)
    throw broken('foreign actor or device');
  if (segment.first !== named.first || segment.last !== named.last)
    throw broken('range differs from its name');
  const messages = segment.messages;
  if (!Array.isArray(messages) || messages.length !== named.last - named.first + 1) {
    throw broken('wrong number of messages');
  }
  messages.forEach((logged, index) => {
    if (!isLoggedMessage(logged, named.first + index))
      throw broken(`message ${index} is malformed`);
  });
  return segment as Segment;
}

function isLoggedMessage(value: unknown, seq: number): value is LoggedMessage {
  const logged = value as Partial<LoggedMessage> | null;
  const message = logged?.message as Partial<Message> | undefined;
  return (
    logged?.seq === seq &&
    typeof logged.key === 'string' &&
    typeof logged.fingerprint === 'string' &&
    typeof logged.at === 'number' &&
    (logged.commandsVersion === undefined ||
      (Number.isSafeInteger(logged.commandsVersion) && logged.commandsVersion >= 0)) &&
    typeof message?.type === 'string' &&
    isObject(message.payload) &&
    (message.ifMatch === undefined || typeof message.ifMatch === 'string')
  );
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
