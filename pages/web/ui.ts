/// <reference lib="dom" />
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';

/** JSX-like templates without a compiler (and without eval: the CSP forbids it). */
export { html };

export const shortKey = (hex: string): string => `${hex.slice(0, 8)}…${hex.slice(-4)}`;
export const time = (ms: number): string => new Date(ms).toLocaleString();
export const day = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/** Loads once per `key` change; the screen shows loading, the error, or the data. */
export function useLoad<T>(load: () => Promise<T>, key: unknown = 0): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data }),
      (err: Error) => live && setState({ error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** Loading and errors said the same way everywhere, to screen readers too. */
export function Status({ error, loading }: { error?: string; loading?: boolean }) {
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (loading) return html`<p class="muted" role="status">Loading…</p>`;
  return null;
}

export function Section({ title, children }: { title: string; children?: ComponentChildren }) {
  return html`<section aria-label=${title}><h2>${title}</h2>${children}</section>`;
}

export interface Tab {
  id: string;
  label: string;
  view: () => unknown;
}

/** Current location hash (#queue), followed as it changes: links and the back button navigate. */
export function useHash(first: string): string {
  const read = () => location.hash.slice(1) || first;
  const [hash, setHash] = useState(read);
  useEffect(() => {
    const on = () => setHash(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** The page frame: a skip link, the title, the navigation (links, so keyboard and history work) and the screen. */
export function Frame({ title, who, tabs }: { title: string; who: string; tabs: Tab[] }) {
  const hash = useHash(tabs[0]!.id);
  const tab = tabs.find((t) => t.id === hash) ?? tabs[0]!;
  useEffect(() => {
    document.title = `${tab.label} · ${title}`;
  }, [tab.id]);
  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header>
      <p class="brand">${title}</p>
      <p class="who">Signed in as <code>${shortKey(who)}</code></p>
      <nav aria-label="Screens">
        <ul>
          ${tabs.map((t) => html`<li><a href=${`#${t.id}`} aria-current=${t.id === tab.id ? 'page' : undefined}>${t.label}</a></li>`)}
        </ul>
      </nav>
    </header>
    <main id="main" tabindex="-1" key=${tab.id}><h1>${tab.label}</h1>${tab.view()}</main>
  `;
}

/** What an action came to. */
export interface Result {
  ok: boolean;
  text: string;
}

/**
 * What each item's action came to, kept by the list rather than the form that acted: the reload
 * after a success may remove that form (an appeal sent, a vote cast), not what it said.
 */
export function useSaidPerItem(reload: () => void): { said: Record<string, Result>; after: (id: string) => (result: Result) => void } {
  const [said, setSaid] = useState<Record<string, Result>>({});
  const after = (id: string) => (result: Result) => {
    setSaid((s) => ({ ...s, [id]: result }));
    if (result.ok) reload();
  };
  return { said, after };
}

/** What an action came to: said politely when it worked, announced at once when it did not. */
export function Said({ result }: { result?: Result | undefined }) {
  if (!result) return null;
  return html`<p class=${result.ok ? 'ok' : 'error'} role=${result.ok ? 'status' : 'alert'}>${result.text}</p>`;
}
