import { z } from 'zod';

/** What a built-in does on a match, where the operator may choose. */
export const actionOption = z.enum(['reject', 'shadowReject', 'hold', 'label']);

/** A kind, or an inclusive [from, to] range of kinds. */
export const kindSpec = z.union([z.number().int().min(0).max(65535), z.tuple([z.number().int().min(0), z.number().int().max(65535)])]);
export type KindSpec = z.infer<typeof kindSpec>;

export const kindMatcher = (specs: readonly KindSpec[]) => (kind: number): boolean =>
  specs.some((s) => (typeof s === 'number' ? s === kind : kind >= s[0] && kind <= s[1]));
