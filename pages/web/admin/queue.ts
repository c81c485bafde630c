/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { html, shortKey, Status, time, useLoad } from '../ui.ts';
import { CaseDetail } from './caseDetail.ts';

export interface CaseRow {
  id: string;
  pubkey: string;
  kind: number;
  content: string;
  rule: string;
  score?: number;
  reports: number;
  reportTypes: string[];
  weight: number;
  status: string;
  visibility: string;
  openedAt: number;
  appeal?: { jury: number; votes: number; deadline: number; communities: number };
}

/**
 * The case queue (status open by default) or the appeals in progress (status appealed): a
 * table to pick from, and the chosen case beside it with its decision form.
 */
export function QueueScreen({ statuses, empty }: { statuses: string; empty: string }) {
  const [status, setStatus] = useState(statuses);
  const [chosen, setChosen] = useState<string>();
  const list = useLoad(() => api<{ cases: CaseRow[] }>(`cases?status=${status}`), status);
  const rules = useLoad(() => api<{ rules: { id: string; title: string }[] }>('rulebook'));
  const appeals = statuses === 'appealed';
  return html`
    ${!appeals &&
    html`<label>Show <select value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
      <option value="open">open cases</option><option value="appealed">appealed</option><option value="decided">decided</option><option value="final">final</option><option value="open,decided,appealed,final">all</option>
    </select></label>`}
    <${Status} error=${list.error} loading=${!list.data && !list.error} />
    ${list.data &&
    (list.data.cases.length === 0
      ? html`<p class="muted">${empty}</p>`
      : html`<div class="scroll" tabindex="0" role="region" aria-label="Cases"><table class="cases">
          <thead><tr><th scope="col">Post</th><th scope="col">Rule</th><th scope="col">Score</th><th scope="col">Reports</th>
            <th scope="col">${appeals ? 'Jury' : 'Status'}</th><th scope="col">Opened</th><th scope="col"><span class="sr-only">Open</span></th></tr></thead>
          <tbody>${list.data.cases.map(
            (c) => html`<tr aria-selected=${chosen === c.id}>
              <td class="post">${c.content || html`<em>kind ${c.kind}</em>`}<br /><code class="muted">${shortKey(c.pubkey)}</code></td>
              <td>${c.rule}</td><td>${c.score === undefined ? '–' : c.score.toFixed(2)}</td>
              <td>${c.reports} ${c.reportTypes.length ? `(${c.reportTypes.join(', ')})` : ''}</td>
              <td>${appeals && c.appeal ? `${c.appeal.votes}/${c.appeal.jury} votes, until ${time(c.appeal.deadline)}` : `${c.status}, ${c.visibility}`}</td>
              <td>${time(c.openedAt)}</td>
              <td><button type="button" onClick=${() => setChosen(c.id)} aria-label=${`Open case ${shortKey(c.id)}`}>Open</button></td>
            </tr>`,
          )}</tbody></table></div>`)}
    ${chosen && html`<${CaseDetail} id=${chosen} rules=${rules.data?.rules ?? []} onDecided=${list.reload} />`}
  `;
}
