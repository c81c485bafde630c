import { RULEBOOK_PATH } from '../nip11.ts';
import type { Route } from './routes.ts';

/** A rule as the page shows it (policies/rulebook.toml). */
export interface RulebookRule {
  id: string;
  title: string;
  description: string;
  severity: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(relayName: string, rules: readonly RulebookRule[]): string {
  const items = rules
    .map((r) => `<li id="${escapeHtml(r.id)}"><h2>${escapeHtml(r.title)}</h2><p>${escapeHtml(r.description)}</p><p class="meta">rule <code>${escapeHtml(r.id)}</code> · ${escapeHtml(r.severity)}</p></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(relayName)}: rules</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}ol{padding-left:1.2rem}h2{font-size:1.1rem;margin-bottom:.2rem}.meta{color:#666;font-size:.9rem}code{background:#eee;padding:.1rem .3rem}</style>
</head><body>
<h1>${escapeHtml(relayName)}: the village's rules</h1>
<p>Every event this relay refuses, holds or labels names one of these rules (the <code>rule</code> of the decision).</p>
<ol>
${items}
</ol>
</body></html>`;
}

/**
 * GET /rulebook: the village rulebook, the page NIP-11's posting_policy points at. HTML for
 * people, JSON with `Accept: application/json`. Read on every request, so an edited rulebook
 * shows at once.
 */
export function rulebookRoute(rules: () => readonly RulebookRule[], relayName: () => string): Route {
  return (req) => {
    if (req.path !== RULEBOOK_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    const list = rules().map(({ id, title, description, severity }) => ({ id, title, description, severity }));
    if ((req.headers.accept ?? '').toLowerCase().includes('application/json')) {
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rules: list }) };
    }
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page(relayName(), list) };
  };
}
