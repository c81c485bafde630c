import { relayMessage as sent } from '../metrics/registry.ts';

/** NIP-77 relay → client messages (counted in nostr_relay_messages_total). */
export const negMsgFrame = (subId: string, hex: string): string => (sent.NEG_MSG.inc(), JSON.stringify(['NEG-MSG', subId, hex]));
export const negErrFrame = (subId: string, reason: string): string => (sent.NEG_ERR.inc(), JSON.stringify(['NEG-ERR', subId, reason]));
