/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { html, Said, shortKey, Status, time, useLoad, type Result } from '../ui.ts';

interface FullCase {
  id: string;
  event: { id: string; pubkey: string; kind: number; content: string; created_at: number };
  private?: true;
  rule: string;
  rulebookVersion: string;
  origin: string;
  evidence?: { policy?: string; reason?: string; model?: string; modelVersion?: string; score?: number };
  reports: { reporter: string; type: string; weight: number; at: number; note: string }[];
  weight: number;
  status: string;
  visibility: string;
  decisions: { outcome: string; rule: string; by: string; moderator?: string; note?: string; at: number }[];
  appeal?: { reason: string; at: number; jury: string[]; communities: number; deadline: number; votes: Record<string, { vote: string }> };
  actions: { at: number; by: string; action: string; detail?: string }[];
}

/** One case, whole: the event, the rule, the model's score, the reports, the record, and the decision form. */
export function CaseDetail({ id, rules, onDecided }: { id: string; rules: { id: string; title: string }[]; onDecided: () => void }) {
  const { data, error, reload } = useLoad(() => api<{ case: FullCase }>(`case?id=${id}`), id);
  const [outcome, setOutcome] = useState('uphold');
  const [rule, setRule] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<Result>();
  if (!data) return html`<${Status} error=${error} loading=${true} />`;
  const c = data.case;
  const decide = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api<{ status: string; visibility: string }>('cases/decide', { id: c.id, outcome, note, rule });
      setResult({ ok: true, text: `Decided: ${outcome}. The case is now ${r.status}, the post ${r.visibility}.` });
      reload();
      onDecided();
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  const canDecide = c.status === 'open' || c.status === 'appealed';
  return html`
    <article class="case" aria-label=${`Case ${c.id}`}>
      <h2>Case <code>${shortKey(c.id)}</code></h2>
      <p><span class=${`badge ${c.status}`}>${c.status}</span> <span class="badge">${c.visibility}</span> rule <strong>${c.rule}</strong> · opened by ${c.origin}</p>
      <blockquote>${c.private ? html`<em>A private kind: its content stays with its parties.</em>` : c.event.content}</blockquote>
      <p class="muted">kind ${c.event.kind} by <code>${shortKey(c.event.pubkey)}</code>, ${time(c.event.created_at * 1000)}</p>
      ${c.evidence &&
      html`<p>Evidence: ${c.evidence.policy ?? ''} ${c.evidence.reason ?? ''} ${c.evidence.model ? html`· model ${c.evidence.model} ${c.evidence.modelVersion ?? ''}` : ''}
        ${c.evidence.score !== undefined ? html` · score <strong>${c.evidence.score.toFixed(3)}</strong>` : ''}</p>`}
      <h3>Reports (${c.reports.length}, weight ${c.weight.toFixed(2)})</h3>
      ${c.reports.length ? html`<ul>${c.reports.map((r) => html`<li>${r.type} by <code>${shortKey(r.reporter)}</code> (weight ${r.weight.toFixed(2)}) ${r.note && html`: “${r.note}”`}</li>`)}</ul>` : html`<p class="muted">None: a policy held it.</p>`}
      ${c.appeal &&
      html`<h3>Appeal</h3><p>“${c.appeal.reason}” · jury of ${c.appeal.jury.length} from ${c.appeal.communities} communities, ${Object.keys(c.appeal.votes).length} votes, until ${time(c.appeal.deadline)}</p>`}
      <h3>Record</h3>
      <ol class="record">${c.actions.map((a) => html`<li><time>${time(a.at)}</time> ${a.action} by ${a.by.length === 64 ? html`<code>${shortKey(a.by)}</code>` : a.by}${a.detail ? `: ${a.detail}` : ''}</li>`)}</ol>
      ${canDecide &&
      html`<form onSubmit=${decide} aria-label="Decide this case">
        <fieldset>
          <legend>Decision</legend>
          <label><input type="radio" name="outcome" value="uphold" checked=${outcome === 'uphold'} onChange=${() => setOutcome('uphold')} /> Uphold (keep hidden)</label>
          <label><input type="radio" name="outcome" value="overturn" checked=${outcome === 'overturn'} onChange=${() => setOutcome('overturn')} /> Overturn (restore)</label>
        </fieldset>
        <label>Rule <select value=${rule} onChange=${(e: Event) => setRule((e.target as HTMLSelectElement).value)}>
          <option value="">${c.rule} (the case's)</option>
          ${rules.filter((r) => r.id !== c.rule).map((r) => html`<option value=${r.id}>${r.id}: ${r.title}</option>`)}
        </select></label>
        <label>Note to the author <textarea rows="2" value=${note} onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}></textarea></label>
        <button type="submit">Decide</button>
      </form>`}
      <${Said} result=${result} />
    </article>
  `;
}
