/// <reference lib="dom" />
import { useEffect, useState } from 'preact/hooks';
import { relay } from '../relay.ts';
import { sign } from '../signer.ts';
import { html, Said, Status, time, useLoad, type Result } from '../ui.ts';
import { feedDvms, type ParamDoc } from './dvms.ts';

/** NIP-78 app data: the member's feed settings, read by the feed DVMs when a request carries no params. */
export const KIND_APP_DATA = 30078;
export const FEED_SETTINGS_D = 'hamlet/feed-settings';
/** Params about one request, not a standing preference. */
const PER_REQUEST = new Set(['user', 'cursor', 'algorithm']);

type Values = Record<string, string | string[]>;

/** Every standing param the feed DVMs announce, merged by name (the first description wins). */
function settingsParams(all: Record<string, ParamDoc>[]): [string, ParamDoc][] {
  const merged = new Map<string, ParamDoc>();
  for (const params of all) for (const [name, doc] of Object.entries(params)) if (!PER_REQUEST.has(name) && doc.type !== 'pubkey' && !merged.has(name)) merged.set(name, doc);
  return [...merged];
}

function Field({ name, doc, value, set }: { name: string; doc: ParamDoc; value: string | string[] | undefined; set: (v: string | string[] | undefined) => void }) {
  const id = `param-${name}`;
  const label = name.replace(/_/g, ' ');
  const hint = html`<small id=${`${id}-hint`}>${doc.description}${doc.default !== undefined && doc.default !== '' ? ` Default: ${doc.default}.` : ''}</small>`;
  const text = (e: Event) => (e.target as HTMLInputElement).value;
  if (doc.type === 'boolean') {
    return html`<div class="field"><label><input id=${id} type="checkbox" aria-describedby=${`${id}-hint`} checked=${(value ?? doc.default) === 'true'}
      onChange=${(e: Event) => set((e.target as HTMLInputElement).checked ? 'true' : 'false')} /> ${label}</label>${hint}</div>`;
  }
  if (doc.type === 'enum') {
    return html`<div class="field"><label for=${id}>${label}</label><select id=${id} aria-describedby=${`${id}-hint`} value=${(value as string) ?? ''} onChange=${(e: Event) => set(text(e) || undefined)}>
      <option value="">(default)</option>${(doc.values ?? []).map((v) => html`<option value=${v}>${v}</option>`)}</select>${hint}</div>`;
  }
  const list = doc.type === 'string[]';
  const shown = Array.isArray(value) ? value.join(', ') : (value ?? '');
  return html`<div class="field"><label for=${id}>${label}${list ? ' (comma-separated)' : ''}</label>
    <input id=${id} type=${doc.type === 'integer' || doc.type === 'number' ? 'number' : 'text'} step=${doc.type === 'number' ? 'any' : undefined} min=${doc.min} max=${doc.max}
      aria-describedby=${`${id}-hint`} value=${shown} placeholder=${doc.default ?? ''}
      onInput=${(e: Event) => {
        const v = text(e).trim();
        set(v === '' ? undefined : list ? v.split(',').map((s) => s.trim()).filter(Boolean) : v);
      }} />${hint}</div>`;
}

/** Feed settings: a form built from the feed DVMs' announced params, saved as the member's signed kind 30078. */
export function FeedSettingsScreen({ pubkey }: { pubkey: string }) {
  const dvms = useLoad(feedDvms);
  const saved = useLoad(() => relay.query([{ kinds: [KIND_APP_DATA], authors: [pubkey], '#d': [FEED_SETTINGS_D], limit: 1 }]));
  const [values, setValues] = useState<Values>({});
  const [result, setResult] = useState<Result>();
  const current = saved.data?.sort((a, b) => b.created_at - a.created_at)[0];
  useEffect(() => {
    if (!current) return;
    try {
      setValues(JSON.parse(current.content) as Values);
    } catch {
      setValues({});
    }
  }, [current?.id]);
  if (!dvms.data || !saved.data) return html`<${Status} error=${dvms.error ?? saved.error} loading=${true} />`;
  const params = settingsParams(dvms.data.map((d) => d.params));
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const content = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
      const event = await sign(KIND_APP_DATA, JSON.stringify(content), [['d', FEED_SETTINGS_D], ['alt', 'Hamlet feed settings']]);
      await relay.publish(event);
      setResult({ ok: true, text: 'Saved. The village feeds use these settings whenever your client sends none.' });
      saved.reload();
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  if (params.length === 0) return html`<p class="muted">No feed DVM runs on this relay, so there is nothing to tune.</p>`;
  return html`
    <p>These settings apply to the village's feeds (${dvms.data.map((d) => d.name).join(', ')}) when your client sends no parameters of its own, Amethyst included.
      ${current ? ` Last saved ${time(current.created_at * 1000)}.` : ' Nothing saved yet: the defaults apply.'}</p>
    <form onSubmit=${save} aria-label="Feed settings">
      ${params.map(([name, doc]) => html`<${Field} name=${name} doc=${doc} value=${values[name]} set=${(v: string | string[] | undefined) => setValues({ ...values, [name]: v as string })} />`)}
      <button type="submit">Save my feed settings</button>
    </form>
    <${Said} result=${result} />
  `;
}
