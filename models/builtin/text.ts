/** Text normalisation shared by the built-in models. */

const URL_RE = /\bhttps?:\/\/([^\s/?#]+)[^\s]*/giu;
const NOSTR_REF_RE = /\bnostr:[a-z0-9]+/giu;
const WORD_RE = /[\p{L}\p{N}_']+/gu;

/** Lowercased words; URLs become "url:<host>", nostr: references are dropped. */
export function words(text: string): string[] {
  const cleaned = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOSTR_REF_RE, ' ')
    .replace(URL_RE, (_m, host: string) => ` url:${host.replace(/^www\./, '')} `);
  const out: string[] = [];
  for (const token of cleaned.split(/\s+/)) {
    if (token.startsWith('url:')) out.push(token);
    else for (const m of token.matchAll(WORD_RE)) out.push(m[0].replace(/^'+|'+$/g, ''));
  }
  return out.filter((w) => w.length > 0);
}
