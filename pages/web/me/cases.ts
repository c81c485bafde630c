/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { relay } from '../relay.ts';
import { sign } from '../signer.ts';
import { html, Said, shortKey, Status, time, useLoad, useSaidPerItem, type Result } from '../ui.ts';

export const KIND_APPEAL = 4560;

interface MyCase {
  id: string;
  event: { kind: number; content: string; created_at: number };
  rule: string;
  status: string;
  visibility: string;
  openedAt: number;
  reports: { type: string; at: number }[];
  decisions: { outcome: string; rule: string; by: string; note?: string; at: number; appealUntil?: number }[];
  appeal?: { at: number; reason: string; receiptId?: string; deadline: number; jurors: number; votes: number };
}

function AppealForm({ c, done }: { c: MyCase; done: (result: Result) => void }) {
  const [reason, setReason] = useState('');
  const id = `appeal-${c.id}`;
  const send = async (e: Event) => {
    e.preventDefault();
    try {
      await relay.publish(await sign(KIND_APPEAL, reason, [['e', c.id], ['alt', 'Appeal of a moderation decision']]));
      done({ ok: true, text: 'Appeal sent: a jury of members is being drawn.' });
    } catch (err) {
      done({ ok: false, text: (err as Error).message });
    }
  };
  return html`<form onSubmit=${send}>
    <label for=${id}>Why the decision is wrong</label>
    <textarea id=${id} rows="3" required value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
    <button type="submit">Appeal</button>
  </form>`;
}

/** My cases: what was decided about my posts, and an appeal while the window is open. */
export function MyCasesScreen() {
  const { data, error, reload } = useLoad(() => api<{ cases: MyCase[] }>('me/cases'));
  const { said, after } = useSaidPerItem(reload);
  if (!data) return html`<${Status} error=${error} loading=${true} />`;
  if (data.cases.length === 0) return html`<p class="muted">No moderation case concerns your posts.</p>`;
  return html`${data.cases.map((c) => {
    const last = c.decisions[c.decisions.length - 1];
    const appealable = c.status === 'decided' && last?.outcome === 'uphold' && !c.appeal && (last.appealUntil === undefined || Date.now() <= last.appealUntil);
    return html`<article class="case" aria-label=${`Case about your post ${shortKey(c.id)}`}>
      <h2>Your post of ${time(c.event.created_at * 1000)}</h2>
      <blockquote>${c.event.content}</blockquote>
      <p><span class=${`badge ${c.status}`}>${c.status}</span> <span class="badge">${c.visibility}</span> rule <strong>${c.rule}</strong> · ${c.reports.length} reports (${[...new Set(c.reports.map((r) => r.type))].join(', ') || 'none'})</p>
      <ol>${c.decisions.map((d) => html`<li>${d.outcome === 'uphold' ? 'Upheld' : 'Overturned'} by ${d.by} under rule ${d.rule}, ${time(d.at)}${d.note ? `: “${d.note}”` : ''}</li>`)}</ol>
      ${c.appeal && html`<p>You appealed ${time(c.appeal.at)}: ${c.appeal.votes} of ${c.appeal.jurors} jurors voted; the jury sits until ${time(c.appeal.deadline)}.${c.appeal.receiptId ? ' Receipt signed by the village.' : ''}</p>`}
      ${appealable && html`<p>You may appeal until ${last?.appealUntil ? time(last.appealUntil) : 'the window closes'}.</p><${AppealForm} c=${c} done=${after(c.id)} />`}
      <${Said} result=${said[c.id]} />
    </article>`;
  })}`;
}
