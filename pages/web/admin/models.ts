/// <reference lib="dom" />
import { api } from '../api.ts';
import { html, Section, Status, useLoad } from '../ui.ts';

interface Card {
  file: string;
  name: string;
  kind: string;
  baseModel: { id: string; version: string };
  createdAt: string;
  dataWindow: { since: number | null; until: number | null };
  source: string;
  counts: { examples: number; train: number; heldOut: number; labels: number };
  metrics: { macroF1?: number; f1?: number; precision?: number; recall?: number; precisionAtK?: number; k?: number };
}

interface Models {
  listing: { active: { task: string; model: string; version: string; reason: string }[]; rows: { name: string; installed: boolean; activeFor: string[]; description: string }[] };
  moderationHead?: { active: number | null; versions: { version: number; name: string; macroF1: number; examples: number; status: string; approvedBy?: string }[] };
  cards: Card[];
}

const when = (s: number | null) => (s === null ? '?' : new Date(s * 1000).toISOString().slice(0, 10));
const figure = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '–');

/** Model cards: the models in use and installed, and every village-trained head with its card. */
export function ModelsScreen() {
  const { data, error } = useLoad(() => api<Models>('models'));
  if (!data) return html`<${Status} error=${error} loading=${true} />`;
  return html`
    <${Section} title="In use">
      <table><thead><tr><th scope="col">Task</th><th scope="col">Model</th><th scope="col">Version</th><th scope="col">Why</th></tr></thead>
        <tbody>${data.listing.active.map((m) => html`<tr><th scope="row">${m.task}</th><td>${m.model}</td><td>${m.version}</td><td>${m.reason}</td></tr>`)}</tbody></table>
      <ul>${(data.listing.rows ?? []).map((r) => html`<li>${r.name}: ${r.installed ? 'installed' : 'not installed'}${r.activeFor.length ? `, used for ${r.activeFor.join(', ')}` : ''} <span class="muted">${r.description}</span></li>`)}</ul>
    <//>
    ${data.moderationHead &&
    html`<${Section} title="Moderation head versions">
      ${data.moderationHead.versions.length === 0
        ? html`<p class="muted">None trained yet (hamlet train moderation).</p>`
        : html`<table><thead><tr><th scope="col">Version</th><th scope="col">Examples</th><th scope="col">Macro F1</th><th scope="col">Status</th></tr></thead>
            <tbody>${data.moderationHead.versions.map((v) => html`<tr><td>${v.name}${v.version === data.moderationHead!.active ? ' (active)' : ''}</td><td>${v.examples}</td><td>${figure(v.macroF1)}</td><td>${v.status}${v.approvedBy ? ` by ${v.approvedBy}` : ''}</td></tr>`)}</tbody></table>`}
    <//>`}
    <${Section} title="Model cards">
      ${data.cards.length === 0
        ? html`<p class="muted">No village-trained head yet: hamlet train tags, hamlet train moderation.</p>`
        : data.cards.map(
            (c) => html`<article class="card wide" aria-label=${`Model card ${c.name}`}>
              <h3>${c.name} <span class="muted">(${c.kind})</span></h3>
              <dl>
                <dt>Trained</dt><dd>${c.createdAt}</dd>
                <dt>Reads</dt><dd>${c.baseModel.id} ${c.baseModel.version}</dd>
                <dt>Data</dt><dd>${c.source}, ${when(c.dataWindow.since)} .. ${when(c.dataWindow.until)}</dd>
                <dt>Examples</dt><dd>${c.counts.examples} (${c.counts.train} train, ${c.counts.heldOut} held out), ${c.counts.labels} labels</dd>
                <dt>Held-out metrics</dt><dd>macro F1 ${figure(c.metrics.macroF1)}, F1 ${figure(c.metrics.f1)} (precision ${figure(c.metrics.precision)}, recall ${figure(c.metrics.recall)}), precision@${c.metrics.k ?? 1} ${figure(c.metrics.precisionAtK)}</dd>
              </dl>
            </article>`,
          )}
    <//>
  `;
}
