/**
 * The label namespaces (NIP-32 `L`) the village labeler writes, one namespace per label event.
 * `#t` is NIP-32's "associate with a standard tag": a topic label is a hashtag the post could
 * carry. ISO-639-1 is what NIP-32 names for languages, content-warning what NIP-36 names.
 */
export const NAMESPACES = {
  topic: '#t',
  language: 'ISO-639-1',
  contentWarning: 'content-warning',
  toxicity: 'village.hamlet.toxicity',
} as const;

export type Namespace = keyof typeof NAMESPACES;
