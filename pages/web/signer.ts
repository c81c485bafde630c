/// <reference lib="dom" />
/** The browser's NIP-07 signer (an extension, or the test's injected one): the pages never hold a key. */
export interface UnsignedEvent {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}

export interface SignedEvent extends UnsignedEvent {
  id: string;
  pubkey: string;
  sig: string;
}

interface Nip07 {
  getPublicKey(): Promise<string>;
  signEvent(e: UnsignedEvent): Promise<SignedEvent>;
}

declare global {
  interface Window {
    nostr?: Nip07;
  }
}

export const hasSigner = (): boolean => window.nostr !== undefined;

function signer(): Nip07 {
  if (!window.nostr) throw new Error('No Nostr signer in this browser: install a NIP-07 extension (nos2x, Alby, ...) and reload.');
  return window.nostr;
}

export const getPublicKey = (): Promise<string> => signer().getPublicKey();

export const now = (): number => Math.floor(Date.now() / 1000);

/** Signs through the extension; the extension shows the member what they sign. */
export const sign = (kind: number, content: string, tags: string[][] = []): Promise<SignedEvent> => signer().signEvent({ kind, created_at: now(), tags, content });
