import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import type { HttpRequest, HttpResponse } from '../relay/server/http.ts';

/** The two pages, each one entry of the browser bundle. */
export const PAGES = { admin: 'Village console', me: 'My village' } as const;
export type Page = keyof typeof PAGES;

export const ASSETS_PATH = '/pages/assets/';

interface Bundle {
  /** File name → bytes. */
  files: Map<string, Uint8Array>;
  /** Per page, its script and stylesheet names. */
  entries: Record<Page, { js: string; css?: string }>;
}

const webFile = (name: string) => fileURLToPath(new URL(`./web/${name}`, import.meta.url));

/**
 * The browser code (pages/web, TypeScript with Preact, htm and uPlot from node_modules) bundled
 * by esbuild in memory, once per process, the first time a page is asked for: nothing to build
 * at install, nothing fetched at run time, and no dev server.
 */
async function bundle(): Promise<Bundle> {
  const outdir = '/hamlet-pages';
  // esbuild loads with the first page asked for, not with every relay
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: (Object.keys(PAGES) as Page[]).map((p) => webFile(`${p}.ts`)),
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: ['es2020'],
    write: false,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((f) => [basename(f.path), f.contents]));
  const meta: Metafile = result.metafile;
  const entries = {} as Bundle['entries'];
  for (const [out, info] of Object.entries(meta.outputs)) {
    const page = (Object.keys(PAGES) as Page[]).find((p) => info.entryPoint?.endsWith(`web/${p}.ts`));
    if (page) entries[page] = { js: basename(out), css: info.cssBundle && basename(info.cssBundle) };
  }
  return { files, entries };
}

let built: Promise<Bundle> | undefined;
/** Starts the bundle (or returns the one built or being built). */
export const pagesBundle = (): Promise<Bundle> => {
  built ??= bundle().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
};

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** No inline script or style, no eval, nothing from elsewhere; the relay's own WebSocket for publishing. */
function securityHeaders(req: HttpRequest): Record<string, string> {
  const host = (req.headers.host ?? '').replace(/[^A-Za-z0-9.:[\]-]/g, '');
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${sockets}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

/** The page's HTML: a shell that loads its bundle; everything else is drawn by the script. */
function shell(page: Page, b: Bundle, relayName: string): string {
  const e = b.entries[page];
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(PAGES[page])} · ${esc(relayName)}</title>
${e.css ? `<link rel="stylesheet" href="pages/assets/${e.css}">` : ''}
<script type="module" src="pages/assets/${e.js}"></script>
</head><body><div id="app"><noscript><main><h1>${esc(PAGES[page])}</h1><p>This page needs JavaScript (a NIP-07 signer signs every request).</p></main></noscript></div></body></html>`;
}

/** GET /admin, /me and their assets; undefined for any other request. */
export function serveAsset(req: HttpRequest, relayName: string): Promise<HttpResponse> | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const page = (Object.keys(PAGES) as Page[]).find((p) => req.path === `/${p}`);
  if (!page && !req.path.startsWith(ASSETS_PATH)) return undefined;
  return answer(req, page, relayName);
}

async function answer(req: HttpRequest, page: Page | undefined, relayName: string): Promise<HttpResponse> {
  const b = await pagesBundle();
  if (page) {
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...securityHeaders(req) }, body: shell(page, b, relayName) };
  }
  const name = req.path.slice(ASSETS_PATH.length);
  const file = b.files.get(name);
  if (!file) return { status: 404, body: 'not found\n' };
  return {
    status: 200,
    // Names carry their content's hash: a new build is a new name.
    headers: { 'Content-Type': TYPES[name.split('.').pop()!] ?? 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' },
    body: Buffer.from(file),
  };
}
