/// <reference lib="dom" />
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { html, Said, Section, shortKey, Status, time, useLoad, type Result } from '../ui.ts';

interface Book {
  file: string;
  editable: boolean;
  text: string;
  rules: { id: string; title: string; description: string; severity: string }[];
  version: string;
  live: string;
  versions: { version: string; at: number; by: string; note?: string; rules: number }[];
}

interface Diff {
  parts: { added: boolean; removed: boolean; value: string }[];
}

function DiffView({ from, to }: { from: string; to: string }) {
  const { data, error } = useLoad(() => api<Diff>(`rulebook/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`), `${from}>${to}`);
  if (!data) return html`<${Status} error=${error} loading=${true} />`;
  return html`<pre class="diff" aria-label=${`Changes from ${from} to ${to}`}>${data.parts.map((p) =>
    p.added ? html`<ins>${p.value}</ins>` : p.removed ? html`<del>${p.value}</del>` : html`<span>${p.value}</span>`,
  )}</pre>`;
}

/** The rulebook: its rules, its versions with a diff between any two, and (admins) a new version. */
export function RulebookScreen({ admin }: { admin: boolean }) {
  const { data: book, error, reload } = useLoad(() => api<Book>('rulebook'));
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<Result>();
  const [pair, setPair] = useState<[string, string]>();
  useEffect(() => {
    if (book) setText(book.text);
    if (book && book.versions.length > 1) setPair([book.versions[1]!.version, book.versions[0]!.version]);
  }, [book]);
  if (!book) return html`<${Status} error=${error} loading=${true} />`;
  const publish = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api<{ version: string; rules: number }>('rulebook', { text, note, base: book.version });
      setResult({ ok: true, text: `Published version ${r.version} (${r.rules} rules).` });
      reload();
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  return html`
    <p>Version <code>${book.version}</code>, ${book.rules.length} rules, from <code>${book.file}</code>.
      ${book.live !== book.version && html` <span class="error">The policies still run ${book.live}: the file changed and is being reloaded.</span>`}</p>
    <${Section} title="Rules">
      <dl class="rules">${book.rules.map((r) => html`<dt><code>${r.id}</code> ${r.title} <span class=${`badge ${r.severity}`}>${r.severity}</span></dt><dd>${r.description}</dd>`)}</dl>
    <//>
    <${Section} title="Versions">
      <table><thead><tr><th scope="col">Version</th><th scope="col">When</th><th scope="col">By</th><th scope="col">Rules</th><th scope="col">Note</th><th scope="col"><span class="sr-only">Compare</span></th></tr></thead>
        <tbody>${book.versions.map((v, i) => html`<tr><td><code>${v.version}</code></td><td>${time(v.at)}</td><td>${v.by.length === 64 ? html`<code>${shortKey(v.by)}</code>` : v.by}</td><td>${v.rules}</td><td>${v.note ?? ''}</td>
          <td>${i + 1 < book.versions.length && html`<button type="button" onClick=${() => setPair([book.versions[i + 1]!.version, v.version])}>Diff with the one before</button>`}</td></tr>`)}</tbody></table>
      ${pair && html`<h3>Changes from <code>${pair[0]}</code> to <code>${pair[1]}</code></h3><${DiffView} from=${pair[0]} to=${pair[1]} />`}
    <//>
    ${admin &&
    html`<${Section} title="Publish a new version">
      ${book.editable
        ? html`<form onSubmit=${publish}>
            <label for="rulebook-text">Rulebook (TOML: [[rule]] with id, title, description, severity)</label>
            <textarea id="rulebook-text" rows="16" spellcheck="false" value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
            <label>What changed <input type="text" value=${note} onInput=${(e: Event) => setNote((e.target as HTMLInputElement).value)} /></label>
            <button type="submit">Publish</button>
          </form>`
        : html`<p class="muted">The rulebook shipped with Hamlet is in use: set <code>policies.rulebook</code> to a copy of it to edit it here.</p>`}
      <${Said} result=${result} />
    <//>`}
  `;
}
