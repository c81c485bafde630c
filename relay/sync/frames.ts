/** NIP-77 relay → client messages. */
export const negMsgFrame = (subId: string, hex: string): string => JSON.stringify(['NEG-MSG', subId, hex]);
export const negErrFrame = (subId: string, reason: string): string => JSON.stringify(['NEG-ERR', subId, reason]);
