/** NIP-01 kind classes. Kinds outside every named range are treated as regular. */
export const isReplaceable = (kind: number): boolean => kind === KIND_METADATA || kind === KIND_FOLLOWS || (kind >= 10000 && kind < 20000);
export const isEphemeral = (kind: number): boolean => kind >= 20000 && kind < 30000;
export const isAddressable = (kind: number): boolean => kind >= 30000 && kind < 40000;

// Every kind the code names, once (as nostr-tools' kinds.ts does), by number.
export const KIND_METADATA = 0; // NIP-01
export const KIND_NOTE = 1; // NIP-01
export const KIND_FOLLOWS = 3; // NIP-02
export const KIND_DM = 4; // NIP-04
export const KIND_DELETION = 5; // NIP-09
export const KIND_REPOST = 6; // NIP-18
export const KIND_REACTION = 7; // NIP-25
export const KIND_SEAL = 13; // NIP-59
export const KIND_CHAT_MESSAGE = 14; // NIP-17
export const KIND_FILE_MESSAGE = 15; // NIP-17
export const KIND_GENERIC_REPOST = 16; // NIP-18
export const KIND_VANISH = 62; // NIP-62
export const KIND_GIFT_WRAP = 1059; // NIP-59
export const KIND_REPORT = 1984; // NIP-56
export const KIND_LABEL = 1985; // NIP-32
export const KIND_WIKI_MERGE_REQUEST = 818; // NIP-54
export const KIND_APPEAL = 4560; // Hamlet: docs/moderation.md
export const KIND_APPEAL_RECEIPT = 4561; // Hamlet: docs/moderation.md
export const KIND_JURY_VOTE = 4562; // Hamlet: docs/moderation.md
export const KIND_GROUP_PUT_USER = 9000; // NIP-29 moderation kinds 9000-9020
export const KIND_GROUP_REMOVE_USER = 9001; // NIP-29
export const KIND_GROUP_EDIT_METADATA = 9002; // NIP-29
export const KIND_GROUP_DELETE_EVENT = 9005; // NIP-29
export const KIND_GROUP_CREATE = 9007; // NIP-29
export const KIND_GROUP_DELETE = 9008; // NIP-29
export const KIND_GROUP_CREATE_INVITE = 9009; // NIP-29
export const KIND_GROUP_JOIN_REQUEST = 9021; // NIP-29
export const KIND_GROUP_LEAVE_REQUEST = 9022; // NIP-29
export const KIND_ZAP_RECEIPT = 9735; // NIP-57
export const KIND_MUTE_LIST = 10000; // NIP-51
export const KIND_RELAY_LIST = 10002; // NIP-65
export const KIND_BOOKMARKS = 10003; // NIP-51
export const KIND_INTERESTS = 10015; // NIP-51
export const KIND_DATA_CONSENT = 10777; // Hamlet: docs/consent.md
export const KIND_EPHEMERAL_GIFT_WRAP = 21059; // NIP-59
export const KIND_AUTH = 22242; // NIP-42
export const KIND_LONG_FORM = 30023; // NIP-23
export const KIND_APP_DATA = 30078; // NIP-78 (the member's feed settings: d = hamlet/feed-settings)
export const KIND_DATASET_MANIFEST = 30777; // Hamlet: docs/dataset.md
export const KIND_WIKI_ARTICLE = 30818; // NIP-54
export const KIND_HANDLER_INFO = 31990; // NIP-89
export const KIND_GROUP_METADATA = 39000; // NIP-29, signed by the relay (39000-39003)
export const KIND_GROUP_ADMINS = 39001; // NIP-29
export const KIND_GROUP_MEMBERS = 39002; // NIP-29
export const KIND_GROUP_ROLES = 39003; // NIP-29

/**
 * Kinds that are private by their NIP whatever nips.restrictedKinds says: NIP-04 DMs, NIP-59 seals
 * (they name the real sender) and gift wraps, NIP-17 rumors (plain text). Reports and metrics never show them.
 */
export const PRIVATE_KINDS: readonly number[] = [KIND_DM, KIND_SEAL, KIND_CHAT_MESSAGE, KIND_FILE_MESSAGE, KIND_GIFT_WRAP];
