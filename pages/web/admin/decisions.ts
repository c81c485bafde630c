/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { html, shortKey, Status, time, useLoad } from '../ui.ts';

interface Record {
  at: number;
  stage: string;
  action: string;
  policy: string;
  rule?: string;
  reason?: string;
  eventId?: string;
  pubkey?: string;
  model?: string;
  score?: number;
  moderator?: string;
}

/** The decision log, searchable by any word of a decision (rule, policy, reason, event, pubkey, moderator). */
export function DecisionsScreen() {
  const [q, setQ] = useState('');
  const [action, setAction] = useState('');
  const [days, setDays] = useState('30');
  const [search, setSearch] = useState('');
  const { data, error } = useLoad(() => api<{ decisions: Record[]; matched: number; scanned: number }>(`decisions?${search}`), search);
  const submit = (e: Event) => {
    e.preventDefault();
    setSearch(new URLSearchParams({ q, action, days }).toString());
  };
  return html`
    <form class="search" role="search" onSubmit=${submit}>
      <label>Search <input type="search" value=${q} onInput=${(e: Event) => setQ((e.target as HTMLInputElement).value)} placeholder="rule, policy, reason, event id, pubkey" /></label>
      <label>Action <select value=${action} onChange=${(e: Event) => setAction((e.target as HTMLSelectElement).value)}>
        ${['', 'reject', 'shadowReject', 'hold', 'label', 'hide', 'uphold', 'overturn', 'appeal', 'ban', 'allow'].map((a) => html`<option value=${a}>${a || 'any'}</option>`)}
      </select></label>
      <label>Days <input type="number" min="1" max="365" value=${days} onInput=${(e: Event) => setDays((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Search</button>
    </form>
    <${Status} error=${error} loading=${!data && !error} />
    ${data &&
    html`<p role="status">${data.matched} decisions match (of ${data.scanned} read).</p>
      <div class="scroll" tabindex="0" role="region" aria-label="Decisions"><table>
        <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Rule</th><th scope="col">Policy</th><th scope="col">Reason</th><th scope="col">Event / author</th></tr></thead>
        <tbody>${data.decisions.map(
          (d) => html`<tr><td>${time(d.at)}</td><td>${d.action} <span class="muted">(${d.stage})</span></td><td>${d.rule ?? '–'}</td>
            <td>${d.policy}${d.model ? html`<br /><span class="muted">${d.model} ${d.score?.toFixed(2) ?? ''}</span>` : ''}${d.moderator ? html`<br /><span class="muted">by ${d.moderator.length === 64 ? shortKey(d.moderator) : d.moderator}</span>` : ''}</td>
            <td>${d.reason ?? ''}</td><td>${d.eventId ? html`<code>${shortKey(d.eventId)}</code>` : ''} ${d.pubkey ? html`<br /><code class="muted">${shortKey(d.pubkey)}</code>` : ''}</td></tr>`,
        )}</tbody></table></div>`}
  `;
}
