/** NIP-01 kind classes. Kinds outside every named range are treated as regular. */
export const isReplaceable = (kind: number): boolean => kind === 0 || kind === 3 || (kind >= 10000 && kind < 20000);
export const isEphemeral = (kind: number): boolean => kind >= 20000 && kind < 30000;
export const isAddressable = (kind: number): boolean => kind >= 30000 && kind < 40000;

export const KIND_FOLLOWS = 3;
export const KIND_DELETION = 5;
export const KIND_VANISH = 62;
export const KIND_GIFT_WRAP = 1059;
export const KIND_EPHEMERAL_GIFT_WRAP = 21059;
export const KIND_AUTH = 22242;
export const KIND_REPOST = 6;
export const KIND_GENERIC_REPOST = 16;
