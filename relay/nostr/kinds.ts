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
export const KIND_NOTE = 1;
export const KIND_DM = 4;
export const KIND_REACTION = 7;
export const KIND_SEAL = 13;
export const KIND_CHAT_MESSAGE = 14;
export const KIND_FILE_MESSAGE = 15;
export const KIND_ZAP_RECEIPT = 9735;
export const KIND_LONG_FORM = 30023;

/**
 * Kinds that are private by their NIP whatever nips.restrictedKinds says: NIP-04 DMs, NIP-59 seals
 * (they name the real sender) and gift wraps, NIP-17 rumors (plain text). Reports and metrics never show them.
 */
export const PRIVATE_KINDS: readonly number[] = [KIND_DM, KIND_SEAL, KIND_CHAT_MESSAGE, KIND_FILE_MESSAGE, KIND_GIFT_WRAP];

/** Village moderation (moderation/, docs/moderation.md): NIP-56 reports, NIP-32 labels, and the appeal kinds. */
export const KIND_REPORT = 1984;
export const KIND_LABEL = 1985;
export const KIND_APPEAL = 4560;
export const KIND_APPEAL_RECEIPT = 4561;
export const KIND_JURY_VOTE = 4562;

/** The village's data as a commons (commons/, docs/consent.md, docs/dataset.md). */
export const KIND_DATA_CONSENT = 10777;
export const KIND_DATASET_MANIFEST = 30777;
