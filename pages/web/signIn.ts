/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from './api.ts';
import { getPublicKey, hasSigner } from './signer.ts';
import { html } from './ui.ts';

export interface Me {
  pubkey: string;
  roles: ('admin' | 'moderator' | 'member')[];
  moderation: boolean;
  appealDays: number;
}

/** Sign-in with the NIP-07 signer: the key comes from the extension, the roles from a signed call. */
export function SignIn({ title, intro, onSignedIn }: { title: string; intro: string; onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await getPublicKey();
      onSignedIn(await api<Me>('me'));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main id="main" class="signin">
      <h1>${title}</h1>
      <p>${intro}</p>
      ${hasSigner()
        ? html`<button type="button" onClick=${go} disabled=${busy}>${busy ? 'Signing in…' : 'Sign in with your Nostr signer'}</button>`
        : html`<p class="error" role="alert">No Nostr signer found. Install a NIP-07 browser extension (nos2x, Alby, …) and reload this page.</p>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <p class="muted">Your key never leaves your signer: each request is a signed NIP-98 event, checked by the relay.</p>
    </main>
  `;
}
