/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { relay } from '../relay.ts';
import { sign } from '../signer.ts';
import { html, Said, shortKey, Status, time, useLoad, useSaidPerItem, type Result } from '../ui.ts';

export const KIND_JURY_VOTE = 4562;

interface Duty {
  id: string;
  event: { content: string; kind: number; created_at: number };
  rule: string;
  status: string;
  decisions: { outcome: string; rule: string; by: string; note?: string }[];
  appeal: { reason: string; deadline: number; jurors: number; votes: number };
  myVote?: string;
}

function Vote({ d, done }: { d: Duty; done: (result: Result) => void }) {
  const vote = async (outcome: 'uphold' | 'overturn') => {
    try {
      await relay.publish(await sign(KIND_JURY_VOTE, '', [['e', d.id], ['vote', outcome], ['alt', 'A juror\'s vote on an appeal']]));
      done({ ok: true, text: `Your vote (${outcome}) is counted.` });
    } catch (err) {
      done({ ok: false, text: (err as Error).message });
    }
  };
  return html`<div role="group" aria-label="Your vote">
    <button type="button" onClick=${() => vote('uphold')}>Keep it hidden (uphold)</button>
    <button type="button" onClick=${() => vote('overturn')}>Restore it (overturn)</button>
  </div>`;
}

/** Jury duty: the appeals I was drawn for, the post, the decision, the author's reason, and my vote. */
export function JuryScreen() {
  const { data, error, reload } = useLoad(() => api<{ duties: Duty[] }>('me/jury'));
  const { said, after } = useSaidPerItem(reload);
  if (!data) return html`<${Status} error=${error} loading=${true} />`;
  if (data.duties.length === 0) return html`<p class="muted">You were not drawn for any jury.</p>`;
  return html`${data.duties.map((d) => {
    const last = d.decisions[d.decisions.length - 1];
    return html`<article class="case" aria-label=${`Appeal ${shortKey(d.id)}`}>
      <h2>Appeal about a post under rule ${d.rule}</h2>
      <blockquote>${d.event.content || html`<em>A private kind: its content stays with its parties.</em>`}</blockquote>
      ${last && html`<p>Decided: ${last.outcome} by ${last.by}${last.note ? ` (“${last.note}”)` : ''}.</p>`}
      <p>The author says: “${d.appeal.reason}”</p>
      <p class="muted">${d.appeal.votes} of ${d.appeal.jurors} jurors voted; until ${time(d.appeal.deadline)}.</p>
      ${d.myVote
        ? html`<p class="ok">You voted: ${d.myVote}.</p>`
        : d.status === 'appealed'
          ? html`<${Vote} d=${d} done=${after(d.id)} />`
          : html`<p class="muted">This case is ${d.status}.</p>`}
      <${Said} result=${said[d.id]} />
    </article>`;
  })}`;
}
