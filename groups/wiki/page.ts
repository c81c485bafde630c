import type { Route } from '../../relay/server/routes.ts';
import type { Topic } from './catalog.ts';

/** The member site's wiki page. */
export const WIKI_PATH = '/wiki';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (hex: string): string => `${hex.slice(0, 8)}…`;

function page(name: string, topics: Topic[]): string {
  const sections = topics
    .map((t) => {
      const items = t.articles
        .map((a) => {
          const open = a.mergeRequests.filter((m) => !m.merged).length;
          const merged = a.mergeRequests.length - open;
          const notes = [a.forkOf ? `fork of <code>${short(a.forkOf.split(':')[1] ?? '')}</code>'s` : '', open ? `${open} open merge request${open > 1 ? 's' : ''}` : '', merged ? `${merged} merged` : ''].filter(Boolean).join(', ');
          return `<li><strong>${escapeHtml(a.title)}</strong> by <code>${short(a.pubkey)}</code>, ${new Date(a.updatedAt * 1000).toISOString().slice(0, 10)}${notes ? ` (${notes})` : ''} <small><code>${a.id}</code></small></li>`;
        })
        .join('\n');
      return `<h2 id="${escapeHtml(t.topic)}">${escapeHtml(t.topic)}</h2>\n<ul>\n${items}\n</ul>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)}: the village wiki</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem}small{color:#666}</style>
</head><body>
<h1>${escapeHtml(name)}: the village wiki</h1>
<p>Articles (NIP-54, kind 30818) by topic: one per author per topic, forks beside the article they fork, and merge requests (kind 818) their authors may accept. Read and write them with any wiki client pointed at this relay.</p>
${sections || '<p>No articles yet.</p>'}
</body></html>`;
}

/** GET /wiki: the village's articles by topic, as HTML, or JSON with `Accept: application/json`. */
export function wikiRoute(name: () => string, catalog: () => Topic[]): Route {
  return (req) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== WIKI_PATH && req.path !== `${WIKI_PATH}/`)) return undefined;
    const topics = catalog();
    if ((req.headers.accept ?? '').includes('application/json')) return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ topics }) };
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page(name(), topics) };
  };
}
