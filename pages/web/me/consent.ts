/// <reference lib="dom" />
import { useEffect, useState } from 'preact/hooks';
import { relay } from '../relay.ts';
import { sign } from '../signer.ts';
import { html, Said, Status, time, useLoad, type Result } from '../ui.ts';

export const KIND_DATA_CONSENT = 10777;
const USES = [
  { id: 'train-ai', label: 'Training AI models (the village\'s own heads included)' },
  { id: 'train-genai', label: 'Training generative AI models (follows the line above unless you say)' },
  { id: 'search', label: 'Building a search index' },
] as const;

type Choice = 'y' | 'n' | '';

/** My consent for the village's datasets: one signed kind 10777 (docs/consent.md); no event, no consent. */
export function ConsentScreen({ pubkey }: { pubkey: string }) {
  const saved = useLoad(() => relay.query([{ kinds: [KIND_DATA_CONSENT], authors: [pubkey], limit: 1 }]));
  const [uses, setUses] = useState<Record<string, Choice>>({});
  const [license, setLicense] = useState('');
  const [result, setResult] = useState<Result>();
  const current = saved.data?.[0];
  useEffect(() => {
    if (!current) return;
    setUses(Object.fromEntries(current.tags.filter((t) => t[0] === 'use').map((t) => [t[1], t[2] as Choice])));
    setLicense(current.tags.find((t) => t[0] === 'license')?.[1] ?? '');
  }, [current?.id]);
  if (!saved.data) return html`<${Status} error=${saved.error} loading=${true} />`;
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const tags = [...Object.entries(uses).filter(([, v]) => v).map(([k, v]) => ['use', k, v]), ...(license.trim() ? [['license', license.trim()]] : [])];
      await relay.publish(await sign(KIND_DATA_CONSENT, '', tags));
      setResult({ ok: true, text: 'Saved: the next dataset version follows it.' });
      saved.reload();
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  return html`
    <p>The village may publish datasets of its members' public posts. Yours are in one only for a use you allow here. ${current ? `Last stated ${time(current.created_at * 1000)}.` : 'You have stated nothing, so nothing is allowed.'}</p>
    <form onSubmit=${save} aria-label="Consent">
      ${USES.map(
        (u) => html`<fieldset><legend>${u.label}</legend>
          ${(['y', 'n', ''] as Choice[]).map((v) => html`<label><input type="radio" name=${u.id} value=${v} checked=${(uses[u.id] ?? '') === v}
            onChange=${() => setUses({ ...uses, [u.id]: v })} /> ${v === 'y' ? 'Allow' : v === 'n' ? 'Refuse' : 'Not stated'}</label>`)}
        </fieldset>`,
      )}
      <label>Licence for your posts (SPDX id, e.g. CC-BY-4.0) <input type="text" value=${license} onInput=${(e: Event) => setLicense((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Save my consent</button>
    </form>
    <${Said} result=${result} />
  `;
}
