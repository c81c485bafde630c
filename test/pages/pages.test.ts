import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finalizeEvent, verifyEvent } from 'nostr-tools';
import type { BrowserContext, Page } from 'playwright-core';
import { Author, fetchEvents, now, publish, until } from '../helpers/client.ts';
import { report, startVillage, type TestVillage } from '../moderation/village.ts';
import { DEFAULT_RULEBOOK_PATH } from '../../policies/index.ts';
import { ARTIFACTS, axe, browserAvailable, launch, signedInAs, weight } from './browser.ts';
import { writeSampleCard } from './card.ts';

/**
 * The console (/admin) and the member page (/me) in Debian's chromium, signed in through an
 * injected NIP-07 signer that signs for real: the moderation loop end to end (decide, appeal,
 * vote), feed settings, refusals, accessibility (axe-core) and what the pages weigh.
 */
// Generous per test: the whole suite shares two cores with the browser in CI.
describe.skipIf(!browserAvailable)('pages in a real browser', { timeout: 90_000 }, () => {
  let v: TestVillage;
  let b: Awaited<ReturnType<typeof launch>>;
  let base: string;
  const admin = new Author();
  const outsider = new Author();
  const figures: Record<string, unknown> = {};
  const accessibility: Record<string, number> = {};
  const contexts: BrowserContext[] = [];
  let rulebookDir = '';

  beforeAll(async () => {
    // An editable rulebook: a copy of the shipped one, named in the config.
    rulebookDir = mkdtempSync(join(tmpdir(), 'hamlet-pages-rules-'));
    const rulebook = join(rulebookDir, 'rulebook.toml');
    copyFileSync(DEFAULT_RULEBOOK_PATH, rulebook);
    v = await startVillage(
      {
        relay: { admins: [admin.pubkey] },
        policies: { rulebook },
        moderation: { threshold: 0.4 },
        dvms: { enabled: true },
      },
      4,
    );
    base = `http://127.0.0.1:${v.r.port}`;
    // A week of village talk for the insights charts.
    const topics = ['garden', 'market', 'garden', 'school', 'garden', 'market'];
    for (let day = 0; day < 6; day++) {
      for (const [i, m] of v.members.slice(2, 2 + day + 1).entries()) {
        await publish(v.client, m.sign({ content: `day ${day}: news from the ${topics[(day + i) % topics.length]}`, tags: [['t', topics[(day + i) % topics.length]!]], created_at: now() - (6 - day) * 86_400 }));
      }
    }
    b = await launch();
  }, 60_000);

  // A failed step leaves a picture of every open page.
  afterEach(async (t) => {
    if (t.task.result?.state !== 'fail') return;
    for (const [i, page] of contexts.flatMap((c) => c.pages()).entries()) {
      await page.screenshot({ path: join(ARTIFACTS, `failed-${i}.png`), fullPage: true }).catch(() => undefined);
      const alerts = await page.getByRole('alert').allTextContents().catch(() => []);
      if (alerts.length) console.error(`page ${i} (${page.url()}) says: ${alerts.join(' | ')}`);
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await b?.close();
    await v?.close();
    rmSync(rulebookDir, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'figures.json'), JSON.stringify({ accessibility, ...figures }, null, 2));
  });

  async function open(who: Author, path: string): Promise<Page> {
    const context = await signedInAs(b.browser, who);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    // Page weight and first render of every load: the first /admin also builds the bundle.
    const key = `loads of ${path.split('#')[0]}`;
    figures[key] = [...((figures[key] as unknown[]) ?? []), await weight(page)];
    await page.getByRole('button', { name: 'Sign in with your Nostr signer' }).click();
    return page;
  }

  /** axe on the screen as it is, and a screenshot of it. */
  async function check(page: Page, name: string): Promise<void> {
    await page.waitForSelector('[role="status"]:has-text("Loading")', { state: 'detached' }).catch(() => undefined);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    const serious = await axe(page);
    accessibility[name] = serious.length;
    expect(serious, `${name}: ${JSON.stringify(serious)}`).toEqual([]);
  }

  async function screen(page: Page, tab: string, name: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: tab }).click();
    await page.getByRole('heading', { level: 1, name: tab }).waitFor();
    await check(page, name);
  }

  it('the moderation loop: an admin decides a case, the author appeals, a drawn juror votes', async () => {
    const [author, reporter] = v.members;
    const post = author!.sign({ content: 'buy cheap watches at example dot com' });
    await publish(v.client, post);
    await publish(v.client, report(reporter!, post, 'spam', 'advertising'));
    await until(() => v.r.moderation!.getCase(post.id)?.status === 'open');

    // The admin: the queue shows the post, its rule and its reports; the decision is recorded as theirs.
    const console = await open(admin, '/admin');
    const row = console.getByRole('row').filter({ hasText: 'buy cheap watches' });
    await row.waitFor();
    await check(console, 'admin-queue');
    await row.getByRole('button', { name: /Open case/ }).click();
    await console.getByRole('article', { name: /Case/ }).getByText('advertising').waitFor();
    await console.getByLabel('Note to the author').fill('advertising is against the rules');
    await console.getByRole('button', { name: 'Decide' }).click();
    await console.getByText('Decided: uphold.').waitFor();
    const decided = v.r.moderation!.getCase(post.id)!;
    expect(decided.status).toBe('decided');
    expect(decided.decisions.at(-1)).toMatchObject({ outcome: 'uphold', by: 'moderator', moderator: admin.pubkey });
    await check(console, 'admin-case');

    // The author appeals from their page: a kind 4560 signed by them, over the relay's WebSocket.
    const mine = await open(author!, '/me#cases');
    await mine.getByText('buy cheap watches').waitFor();
    await check(mine, 'me-cases');
    await mine.getByLabel('Why the decision is wrong').fill('I was selling my own watch to a neighbour');
    await mine.getByRole('button', { name: 'Appeal' }).click();
    await mine.getByText('Appeal sent').waitFor();
    await mine.getByText(/You appealed/).waitFor();
    await until(() => v.r.moderation!.getCase(post.id)!.status === 'appealed');
    const jury = v.r.moderation!.getCase(post.id)!.appeal!.jury;
    expect(jury.length).toBe(5);

    // A drawn juror sees the appeal with the author's reason and votes.
    const juror = v.byPubkey.get(jury[0]!)!;
    const duty = await open(juror, '/me#jury');
    await duty.getByText('I was selling my own watch').waitFor();
    await check(duty, 'me-jury');
    await duty.getByRole('button', { name: 'Restore it (overturn)' }).click();
    await duty.getByText('Your vote (overturn) is counted.').waitFor();
    await duty.getByText('You voted: overturn.').waitFor();
    expect(v.r.moderation!.getCase(post.id)!.appeal!.votes[juror.pubkey]?.vote).toBe('overturn');

    // The console's other screens: the appeal in progress, the log with the decision, health, models, insights.
    await screen(console, 'Appeals and juries', 'admin-appeals');
    await console.getByRole('row').filter({ hasText: 'buy cheap watches' }).waitFor();
    await screen(console, 'Decision log', 'admin-decisions');
    await console.getByLabel('Search').fill('advertising');
    await console.getByRole('button', { name: 'Search' }).click();
    await console.getByRole('cell', { name: 'spam' }).first().waitFor();
    await screen(console, 'Health', 'admin-health');
    await console.getByText('Hamlet: For you (kind 5300)').waitFor();
    writeSampleCard(v.r.relay.config.models.dir);
    await screen(console, 'Model cards', 'admin-models');
    await console.getByRole('article', { name: 'Model card moderation-v1' }).getByText('macro F1 0.830').waitFor();
    await screen(console, 'Insights', 'admin-insights');
    await console.getByText('Topics over time (posts per hashtag)', { exact: true }).waitFor();
    await console.getByText('#garden').first().waitFor();
  }, 90_000); // three sign-ins and a jury draw in a real browser: 15 s alone, twice that on a busy machine

  it('an admin publishes a new rulebook version and sees the diff, and bans a key over NIP-86', async () => {
    const page = await open(admin, '/admin#rulebook');
    const text = page.getByLabel(/Rulebook \(TOML/);
    await text.waitFor();
    const before = await text.inputValue();
    await text.fill(`${before}\n[[rule]]\nid = "market-hours"\ntitle = "Market posts on market days"\ndescription = "Stalls announce on Fridays."\nseverity = "low"\n`);
    await page.getByLabel('What changed').fill('market days');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published version sha256:/).waitFor();
    await page.locator('.diff ins').filter({ hasText: 'market-hours' }).waitFor();
    await check(page, 'admin-rulebook');
    await until(() => (v.r.relay.policies as unknown as { rulebook(): { get(id: string): unknown } }).rulebook().get('market-hours') !== undefined);

    // Bans go through NIP-86 from the same page, signed the same way.
    await screen(page, 'Bans', 'admin-bans');
    const spammer = new Author();
    await page.getByLabel('Pubkey (hex or npub) or IP address').fill(spammer.pubkey);
    await page.getByLabel('Reason').fill('spam ring');
    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    await page.getByRole('button', { name: /^Unban / }).waitFor();
    const moderator = v.r.relay.policies.moderator!;
    expect(moderator.listBannedPubkeys()).toEqual([expect.objectContaining({ pubkey: spammer.pubkey, reason: 'spam ring' })]);
    expect((await publish(v.client, spammer.sign({ content: 'still here' }))).ok).toBe(false);
    await page.getByRole('button', { name: /^Unban / }).click();
    await page.getByText(/^Unbanned /).waitFor();
    expect(moderator.listBannedPubkeys()).toEqual([]);
  });

  it('a member saves feed settings built from the feed DVMs\' params: a signed kind 30078 on the relay', async () => {
    const member = v.members[2]!;
    const page = await open(member, '/me#feed');
    await page.getByLabel(/exclude topics/).fill('politics, crypto');
    await page.getByLabel(/wot hops/).fill('2');
    await check(page, 'me-feed');
    await page.getByRole('button', { name: 'Save my feed settings' }).click();
    await page.getByText('Saved.').waitFor();
    const { events } = await fetchEvents(v.client, [{ kinds: [30078], authors: [member.pubkey], '#d': ['hamlet/feed-settings'] }]);
    expect(events).toHaveLength(1);
    expect(verifyEvent(events[0] as never)).toBe(true);
    expect(JSON.parse(events[0]!.content)).toEqual({ exclude_topics: ['politics', 'crypto'], wot_hops: '2' });

    await screen(page, 'My consent', 'me-consent');
    await page.getByRole('group', { name: /Training AI models/ }).getByLabel('Allow').check();
    await page.getByRole('button', { name: 'Save my consent' }).click();
    await page.getByText('Saved: the next dataset version follows it.').waitFor();
    const consent = await fetchEvents(v.client, [{ kinds: [10777], authors: [member.pubkey] }]);
    expect(consent.events[0]!.tags).toContainEqual(['use', 'train-ai', 'y']);
  });

  it('"why was this shown to me": the feed DVM\'s items with their reasons; saved exclusions change the next feed', async () => {
    const [reader, writer] = [v.members[0]!, v.members[1]!];
    await publish(v.client, writer.sign({ content: 'fresh tomatoes at the stall today', tags: [['t', 'garden']] }));
    await publish(v.client, writer.sign({ content: 'the market opens early on friday', tags: [['t', 'market']] }));
    const page = await open(reader, '/me#why');
    await page.getByLabel('Feed', { exact: true }).selectOption({ label: 'Hamlet: For you' });
    await page.getByRole('button', { name: 'Show my feed and why' }).click();
    const feed = page.getByRole('list', { name: 'Your feed' });
    await feed.getByText('fresh tomatoes').waitFor({ timeout: 20_000 });
    expect(await feed.getByText('Why:').count()).toBeGreaterThan(0);
    await expect.poll(() => feed.getByText('the market opens early').count()).toBe(1);
    await check(page, 'me-why');

    await screen(page, 'Feed settings', 'me-feed-reader');
    await page.getByLabel(/exclude topics/).fill('market');
    await page.getByRole('button', { name: 'Save my feed settings' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Why was this shown to me' }).click();
    await page.getByRole('button', { name: 'Show my feed and why' }).click();
    // The screen was opened anew, so what shows now is the next feed (it may leave more out, by meaning).
    await feed.or(page.getByText('The feed is empty for now.')).waitFor({ timeout: 20_000 });
    expect(await feed.getByText('the market opens early').count()).toBe(0);
  });

  it('works from the keyboard alone, and on a phone-sized screen', async () => {
    const member = v.members[1]!;
    const context = await signedInAs(b.browser, member);
    contexts.push(context);
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/me`);
    // Sign in: the first stop of Tab is the sign-in button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Feed settings' }).waitFor();
    // The skip link comes first, then the screens' links; Enter follows one.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const links = ['Feed settings', 'Why was this shown to me', 'My cases and appeals', 'Jury duty', 'My consent'];
    for (let i = 0; i < links.indexOf('My consent') + 1; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('My consent');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My consent' }).waitFor();
    // Nothing is wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await check(page, 'me-consent-phone');
  });

  it('refuses a key that is neither moderator nor admin: the console says so, its API answers 403', async () => {
    const page = await open(outsider, '/admin');
    await page.getByText('neither a moderator nor an admin').waitFor();
    await check(page, 'admin-refused');
    // The same signed call a console makes, from the outsider's key.
    const token = finalizeEvent({ kind: 27235, created_at: Math.floor(Date.now() / 1000), content: '', tags: [['u', `${base}/api/cases?status=open`], ['method', 'GET']] }, outsider.sk);
    const res = await fetch(`${base}/api/cases?status=open`, { headers: { Authorization: `Nostr ${Buffer.from(JSON.stringify(token)).toString('base64')}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'restricted: only a moderator (moderation.moderators) or an admin may do this' });
    // Unsigned: 401; the page itself carries a strict CSP and no secret.
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    const html = await fetch(`${base}/admin`);
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(html.headers.get('content-security-policy')).not.toMatch(/unsafe/);
  });
});
