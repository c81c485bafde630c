/// <reference lib="dom" />
import { api } from '../api.ts';
import { LineChart } from '../chart.ts';
import { html, Section, shortKey, Status, useLoad } from '../ui.ts';

interface Health {
  name: string;
  url: string;
  connections: number;
  subscriptions: number;
  memoryMb: number;
  uptimeSeconds: number;
  ingest: { at: number; written: number; rejected: number }[];
  storage: { events: number; authors: number; disk: { fileBytes: number; tablesBytes: number; mapSizeBytes: number } } | undefined;
  transport?: string;
  verifier?: string;
  policies?: Record<string, string[]>;
  policyLoadErrors: { file: string; error: string }[];
  dvms: { name: string; kind: number; pubkey: string }[];
  labeler: boolean;
  models: { task: string; model: string; version: string; reason: string }[];
  moderation?: { pubkey: string; stats: { cases?: { open?: number } } & Record<string, unknown> };
  mirrors: { stream: string; relay: string; direction: string; connected: boolean; lastError?: string; failures: number; down: { stored: number }; up: { sent: number; queued: number } }[];
  cluster?: { error: string } | { stream: string; length: number; nodes: { node: string; url?: string; lastSeen?: number; pending?: number; lag?: number | null; silentSeconds?: number }[] };
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** Health: is the relay well, what runs in it. */
export function HealthScreen() {
  const { data: h, error } = useLoad(() => api<Health>('health'));
  if (!h) return html`<${Status} error=${error} loading=${true} />`;
  const rate = h.ingest.length ? h.ingest[h.ingest.length - 1]!.written : 0;
  return html`
    <div class="cards">
      <div class="card"><p class="figure">${h.connections}</p><p>connections</p></div>
      <div class="card"><p class="figure">${h.subscriptions}</p><p>subscriptions</p></div>
      <div class="card"><p class="figure">${rate.toFixed(1)}/s</p><p>events written</p></div>
      <div class="card"><p class="figure">${h.storage?.events ?? '?'}</p><p>events stored</p></div>
      <div class="card"><p class="figure">${h.memoryMb} MB</p><p>memory</p></div>
    </div>
    ${h.ingest.length > 1 &&
    html`<${LineChart} title="Ingest (events per second)" unit="time" x=${h.ingest.map((s) => s.at)}
      series=${[{ label: 'written', values: h.ingest.map((s) => s.written) }, { label: 'refused', values: h.ingest.map((s) => s.rejected) }]} />`}
    <${Section} title="Relay">
      <dl>
        <dt>Address</dt><dd><code>${h.url}</code></dd>
        <dt>Transport</dt><dd>${h.transport ?? '?'}</dd>
        <dt>Signature verifier</dt><dd>${h.verifier ?? '?'}</dd>
        <dt>Up for</dt><dd>${Math.round(h.uptimeSeconds / 60)} min</dd>
        ${h.storage && html`<dt>Storage</dt><dd>${h.storage.events} events by ${h.storage.authors} authors; ${mb(h.storage.disk.tablesBytes)} in use, file ${mb(h.storage.disk.fileBytes)}, map ${mb(h.storage.disk.mapSizeBytes)}</dd>`}
      </dl>
    <//>
    <${Section} title="Active policies per stage">
      ${h.policies
        ? html`<table><thead><tr><th scope="col">Stage</th><th scope="col">Policies, in order</th></tr></thead>
          <tbody>${Object.entries(h.policies).map(([stage, steps]) => html`<tr><th scope="row">${stage}</th><td>${steps.length ? steps.join(' → ') : html`<span class="muted">none</span>`}</td></tr>`)}</tbody></table>`
        : html`<p class="muted">A custom policy engine runs: its steps are not listed.</p>`}
      ${h.policyLoadErrors.map((e) => html`<p class="error" role="alert">${e.file}: ${e.error}</p>`)}
    <//>
    ${h.cluster &&
    html`<${Section} title="Cluster nodes">
      ${'error' in h.cluster
        ? html`<p class="error" role="alert">${h.cluster.error}</p>`
        : html`<p>Stream <code>${h.cluster.stream}</code>: ${h.cluster.length} entries</p>
          <table><thead><tr><th scope="col">Node</th><th scope="col">Address</th><th scope="col">Last heard</th><th scope="col">Pending</th><th scope="col">Lag</th></tr></thead>
            <tbody>${h.cluster.nodes.map((n) => html`<tr><th scope="row">${n.node}</th><td>${n.url ?? '?'}</td><td>${n.silentSeconds === undefined ? '?' : `${n.silentSeconds} s ago`}</td><td>${n.pending ?? '?'}</td><td>${n.lag ?? '?'}</td></tr>`)}</tbody></table>`}
    <//>`}
    ${h.mirrors.length > 0 &&
    html`<${Section} title="Mirrors">
      <table><thead><tr><th scope="col">Stream</th><th scope="col">Relay</th><th scope="col">Direction</th><th scope="col">State</th><th scope="col">Down stored</th><th scope="col">Up sent (queued)</th></tr></thead>
        <tbody>${h.mirrors.map((m) => html`<tr><th scope="row">${m.stream}</th><td><code>${m.relay}</code></td><td>${m.direction}</td><td>${m.connected ? 'connected' : `down${m.failures ? `, ${m.failures} failures` : ''}${m.lastError ? `: ${m.lastError}` : ''}`}</td><td>${m.down.stored}</td><td>${m.up.sent} (${m.up.queued})</td></tr>`)}</tbody></table>
    <//>`}
    <${Section} title="DVMs and models">
      ${h.dvms.length
        ? html`<ul>${h.dvms.map((d) => html`<li>${d.name} (kind ${d.kind}) <code>${shortKey(d.pubkey)}</code></li>`)}</ul>`
        : html`<p class="muted">No DVM runs.</p>`}
      <p>Labeler: ${h.labeler ? 'on' : 'off'}</p>
      <table><thead><tr><th scope="col">Task</th><th scope="col">Model</th><th scope="col">Version</th><th scope="col">Why</th></tr></thead>
        <tbody>${h.models.map((m) => html`<tr><th scope="row">${m.task}</th><td>${m.model}</td><td>${m.version}</td><td>${m.reason}</td></tr>`)}</tbody></table>
    <//>
  `;
}
