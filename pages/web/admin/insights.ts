/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { LineChart } from '../chart.ts';
import { html, Status, useLoad } from '../ui.ts';

interface Insights {
  days: number[];
  posts: number[];
  activeMembers: number[];
  dvmRequests: number[];
  topics: { topic: string; counts: number[] }[];
  capped: boolean;
}

/** Insights as pictures: topics over time, active members, DVM requests (each with its table). */
export function InsightsScreen() {
  const [days, setDays] = useState('14');
  const { data, error } = useLoad(() => api<Insights>(`insights?days=${days}`), days);
  return html`
    <label>Period <select value=${days} onChange=${(e: Event) => setDays((e.target as HTMLSelectElement).value)}>
      <option value="7">7 days</option><option value="14">14 days</option><option value="30">30 days</option><option value="90">90 days</option>
    </select></label>
    <${Status} error=${error} loading=${!data && !error} />
    ${data &&
    html`
      ${data.capped && html`<p class="muted">Only the newest 50,000 events of the period are counted.</p>`}
      ${data.topics.length
        ? html`<${LineChart} title="Topics over time (posts per hashtag)" x=${data.days} series=${data.topics.map((t) => ({ label: `#${t.topic}`, values: t.counts }))} />`
        : html`<p class="muted">No hashtag was used in this period.</p>`}
      <${LineChart} title="Active members and posts" x=${data.days} series=${[{ label: 'active members', values: data.activeMembers }, { label: 'posts', values: data.posts }]} />
      <${LineChart} title="DVM requests" x=${data.days} series=${[{ label: 'job requests', values: data.dvmRequests }]} />
    `}
  `;
}
