/** Relay → client messages, built as strings (or Buffers for stored events, sent as they are). */
export const okFrame = (id: string, ok: boolean, message: string): string => JSON.stringify(['OK', id, ok, message]);
export const eoseFrame = (subId: string): string => JSON.stringify(['EOSE', subId]);
export const closedFrame = (subId: string, message: string): string => JSON.stringify(['CLOSED', subId, message]);
export const noticeFrame = (message: string): string => JSON.stringify(['NOTICE', message]);
export const authFrame = (challenge: string): string => JSON.stringify(['AUTH', challenge]);
export const countFrame = (queryId: string, body: { count: number; approximate?: boolean; hll?: string }): string =>
  JSON.stringify(['COUNT', queryId, body]);

const EVENT_OPEN = Buffer.from('["EVENT",');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** ["EVENT",<subid>,<event>] around the event's stored JSON bytes, without re-serialising it. */
export function eventFrame(subId: string, json: Buffer): Buffer {
  const sub = Buffer.from(JSON.stringify(subId));
  return Buffer.concat([EVENT_OPEN, sub, COMMA, json, CLOSE], EVENT_OPEN.length + sub.length + 2 + json.length);
}
