import { relayMessage as sent } from '../metrics/registry.ts';
import type { Kept } from '../store/query.ts';
import type { StoredRecord } from '../store/record.ts';

/**
 * Relay → client messages, built as strings (or Buffers for stored events, sent as they are).
 * Every frame built is sent, so nostr_relay_messages_total is counted here.
 */
export const okFrame = (id: string, ok: boolean, message: string): string => (sent.OK.inc(), JSON.stringify(['OK', id, ok, message]));
export const eoseFrame = (subId: string): string => (sent.EOSE.inc(), JSON.stringify(['EOSE', subId]));
export const closedFrame = (subId: string, message: string): string => (sent.CLOSED.inc(), JSON.stringify(['CLOSED', subId, message]));
export const noticeFrame = (message: string): string => (sent.NOTICE.inc(), JSON.stringify(['NOTICE', message]));
export const authFrame = (challenge: string): string => (sent.AUTH.inc(), JSON.stringify(['AUTH', challenge]));
export const countFrame = (queryId: string, body: { count: number; approximate?: boolean; hll?: string }): string =>
  (sent.COUNT.inc(), JSON.stringify(['COUNT', queryId, body]));

const EVENT_OPEN = Buffer.from('["EVENT",');
const COMMA = Buffer.from(',');

/** `["EVENT",<subid>,` as bytes: built once per subscription, not once per event. */
export function eventFramePrefix(subId: string): Buffer {
  const sub = Buffer.from(JSON.stringify(subId));
  return Buffer.concat([EVENT_OPEN, sub, COMMA], EVENT_OPEN.length + sub.length + 1);
}

/** ["EVENT",<subid>,<event>] around the event's stored JSON bytes, without re-serialising it. */
function eventFrameBytes(prefix: Buffer, json: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(prefix.length + json.length + 1);
  prefix.copy(frame, 0);
  json.copy(frame, prefix.length);
  frame[frame.length - 1] = 0x5d; // ]
  return frame;
}

export function eventFrame(subId: string, json: Buffer): Buffer {
  sent.EVENT.inc();
  return eventFrameBytes(eventFramePrefix(subId), json);
}

const ID_IN_JSON = '{"id":"'.length;

/**
 * A stored event as a REQ answer keeps it (query.ts `Keep`): its EVENT frame, copied once from
 * the record straight into the bytes that are sent, instead of a copy of the record and then the
 * frame. Not counted as sent until it is (`countEventFrames`): a kept record may still be cut.
 */
export class FramedEvent implements Kept {
  readonly serial: number;
  readonly createdAt: number;
  readonly frame: Buffer;

  constructor(private readonly prefix: Buffer, rec: StoredRecord) {
    this.serial = rec.serial;
    this.createdAt = rec.createdAt;
    this.frame = eventFrameBytes(prefix, rec.json);
  }

  get id(): string {
    const at = this.prefix.length + ID_IN_JSON;
    return this.frame.toString('latin1', at, at + 64);
  }
}

export const countEventFrames = (n: number): void => sent.EVENT.inc(n);
