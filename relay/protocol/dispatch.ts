import type { ProtocolContext } from './context.ts';
import type { Session } from './session.ts';
import { noticeFrame, okFrame } from './frames.ts';
import { handleEvent } from './handlers/event.ts';
import { handleReq } from './handlers/req.ts';
import { handleCount } from './handlers/count.ts';
import { handleClose } from './handlers/close.ts';
import { handleAuth } from './handlers/auth.ts';
import { handleNegOpen } from './handlers/negOpen.ts';
import { handleNegMsg } from './handlers/negMsg.ts';
import { handleNegClose } from './handlers/negClose.ts';
import { countClientMessage } from '../metrics/registry.ts';

export type Handler = (relay: ProtocolContext, s: Session, msg: unknown[]) => Promise<void> | void;

const handlers: Record<string, Handler> = {
  EVENT: handleEvent,
  REQ: handleReq,
  COUNT: handleCount,
  CLOSE: handleClose,
  AUTH: handleAuth,
  'NEG-OPEN': handleNegOpen,
  'NEG-MSG': handleNegMsg,
  'NEG-CLOSE': handleNegClose,
};

const ID_IN_TEXT = /"id"\s*:\s*"([0-9a-f]{64})"/;

/** WebSocket close codes (RFC 6455) for frames refused whole. */
export const CLOSE_INVALID_DATA = 1007;
export const CLOSE_TOO_BIG = 1009;

/**
 * Refuses a whole frame: an OK when the event id is known, else a NOTICE, written at once; then,
 * with a close code, the connection is closed (after that frame, never instead of it).
 */
export function refuseFrame(s: Session, reason: string, options: { id?: string; close?: number } = {}): void {
  s.noteRejection(reason);
  s.send(options.id ? okFrame(options.id, false, reason) : noticeFrame(reason));
  if (options.close === undefined) return;
  s.flush();
  s.socket.close(options.close, reason.slice(0, 120));
}

/** Parses one client frame and hands it to its verb's handler; bad frames get a NOTICE (or OK). */
export async function dispatch(relay: ProtocolContext, s: Session, text: string): Promise<void> {
  const max = relay.config.limits.maxMessageBytes;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: count bytes only when the length alone cannot tell.
  if (text.length > max || (text.length * 3 > max && Buffer.byteLength(text) > max)) {
    const bytes = Buffer.byteLength(text);
    // An oversize EVENT still gets its OK when the id can be found without parsing.
    // The whole frame is searched: clients such as nostr-tools put "id" after the content. Inside
    // JSON strings quotes are escaped, so only a key can match.
    const id = text.startsWith('["EVENT"') ? ID_IN_TEXT.exec(text)?.[1] : undefined;
    // Far past the limit is no client that misjudged a size: it is told, then disconnected.
    refuseFrame(s, `invalid: message too large (${bytes} > ${max} bytes)`, { id, close: bytes > 4 * max ? CLOSE_TOO_BIG : undefined });
    return;
  }
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    s.send(noticeFrame('invalid: message is not valid JSON'));
    return;
  }
  if (!Array.isArray(msg) || typeof msg[0] !== 'string') {
    s.send(noticeFrame('invalid: a message must be a JSON array starting with a verb'));
    return;
  }
  // Own keys only: "constructor" or "__proto__" must not reach Object.prototype.
  const handler = Object.hasOwn(handlers, msg[0]) ? handlers[msg[0]] : undefined;
  countClientMessage(msg[0]);
  if (!handler) {
    s.send(noticeFrame(`invalid: unknown message type ${JSON.stringify(msg[0].slice(0, 32))}`));
    return;
  }
  await handler(relay, s, msg);
}
