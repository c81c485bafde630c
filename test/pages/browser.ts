import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { finalizeEvent } from 'nostr-tools';
import type { Author } from '../helpers/client.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots and figures go (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/pages');

/** Debian's chromium is there, or the run says it must be (the host CI pass). */
export const browserAvailable = existsSync(CHROMIUM) || process.env.CI_REQUIRE_BROWSER === '1';

/** Headless Debian chromium, quiet: no network of its own, a fresh profile (playwright makes one per launch and removes it). */
export async function launch(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return { browser, close: () => browser.close() };
}

/**
 * A browser context signed in as `who`: window.nostr is a NIP-07 signer whose signEvent calls
 * into the test, which signs for real with the author's key (the page never sees the key).
 */
export async function signedInAs(browser: Browser, who: Author): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // A step that fails says which, well before the test's own timeout.
  context.setDefaultTimeout(20_000);
  context.on('weberror', (e) => console.error(`page error: ${e.error().message}`));
  await context.exposeFunction('__hamletSign', (e: { kind: number; created_at: number; tags: string[][]; content: string }) => finalizeEvent(e, who.sk));
  await context.addInitScript((pubkey: string) => {
    const w = window as unknown as { nostr: unknown; __hamletSign: (e: unknown) => Promise<unknown> };
    w.nostr = { getPublicKey: async () => pubkey, signEvent: (e: unknown) => w.__hamletSign(e) };
  }, who.pubkey);
  return context;
}

/** axe-core's source, evaluated through the DevTools protocol: the pages' CSP forbids an injected script tag, as it should. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export async function axe(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const a = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
    return (await a.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Bytes the page transferred (document and every resource) and its first contentful paint, from the Performance API. */
export async function weight(page: Page): Promise<{ kb: number; firstRenderMs: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const bytes = [...nav, ...res].reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { kb: Math.round(bytes / 102.4) / 10, firstRenderMs: Math.round(fcp?.startTime ?? -1) };
  });
}
