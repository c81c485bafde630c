/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { relay, relayUrl } from '../relay.ts';
import { sign, type SignedEvent } from '../signer.ts';
import { html, shortKey, Status, time, useLoad } from '../ui.ts';
import { FEED_KIND, feedDvms, type FeedDvm } from './dvms.ts';

const WAIT_MS = 20_000;

interface Item {
  id: string;
  reason: string;
  score?: number;
  event?: SignedEvent;
}

/** The announcement's text for a reason code (`topic:<t>` fills in the topic). */
function reasonText(dvm: FeedDvm, code: string): string {
  if (code.startsWith('topic:')) return (dvm.reasons['topic:<t>'] ?? 'About <t>.').replace('<t>', code.slice(6));
  return dvm.reasons[code] ?? code;
}

/**
 * "Why was this shown to me": asks a feed DVM for my feed (kind 5300, no params, so my saved
 * settings apply) and shows each item with the reason and score its result carries.
 */
export function WhyScreen() {
  const dvms = useLoad(feedDvms);
  const [chosen, setChosen] = useState(0);
  const [items, setItems] = useState<Item[]>();
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  if (!dvms.data) return html`<${Status} error=${dvms.error} loading=${true} />`;
  if (dvms.data.length === 0) return html`<p class="muted">No feed DVM runs on this relay.</p>`;
  const dvm = dvms.data[chosen] ?? dvms.data[0]!;
  const ask = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    setItems(undefined);
    try {
      const request = await sign(FEED_KIND, '', [['p', dvm.pubkey], ['relays', relayUrl()]]);
      await relay.publish(request);
      const result = await relay.next([{ kinds: [FEED_KIND + 1000, 7000], '#e': [request.id] }], WAIT_MS);
      if (!result) throw new Error('The feed DVM did not answer in time.');
      if (result.kind === 7000) {
        const status = result.tags.find((t) => t[0] === 'status');
        if (status?.[1] === 'error') throw new Error(`The feed DVM refused: ${status[2] ?? result.content}`);
        const final = await relay.next([{ kinds: [FEED_KIND + 1000], '#e': [request.id] }], WAIT_MS);
        if (!final) throw new Error('The feed DVM did not answer in time.');
        return void show(final);
      }
      await show(result);
    } catch (err) {
      setState({ error: (err as Error).message });
    }
  };
  const show = async (result: SignedEvent) => {
    const tags = (JSON.parse(result.content) as string[][]).filter((t) => t[0] === 'e' && t[1]);
    const events = tags.length ? await relay.query([{ ids: tags.map((t) => t[1]!) }]) : [];
    const byId = new Map(events.map((e) => [e.id, e]));
    setItems(tags.map((t) => ({ id: t[1]!, reason: t[3] ?? '', score: t[4] === undefined ? undefined : Number(t[4]), event: byId.get(t[1]!) })));
    setState({});
  };
  return html`
    <form onSubmit=${ask} aria-label="Ask for my feed">
      <label for="why-feed">Feed</label>
      <select id="why-feed" value=${String(chosen)} onChange=${(e: Event) => setChosen(Number((e.target as HTMLSelectElement).value))}>
        ${dvms.data.map((d, i) => html`<option value=${String(i)}>${d.name}</option>`)}
      </select>
      <button type="submit" disabled=${state.busy}>${state.busy ? 'Asking…' : 'Show my feed and why'}</button>
    </form>
    <${Status} error=${state.error} loading=${state.busy} />
    ${items &&
    (items.length === 0
      ? html`<p class="muted" role="status">The feed is empty for now.</p>`
      : html`<ol class="feed" aria-label="Your feed">${items.map(
          (it) => html`<li>
            <blockquote>${it.event?.content ?? html`<em>not stored on this relay</em>`}</blockquote>
            <p class="muted">${it.event ? html`by <code>${shortKey(it.event.pubkey)}</code>, ${time(it.event.created_at * 1000)}` : ''}</p>
            <p class="why"><strong>Why:</strong> ${reasonText(dvm, it.reason)}${it.score !== undefined && Number.isFinite(it.score) ? html` <span class="muted">(score ${it.score.toFixed(3)})</span>` : ''}</p>
          </li>`,
        )}</ol>`)}
  `;
}
