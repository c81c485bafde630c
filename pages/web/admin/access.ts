/// <reference lib="dom" />
import { useState } from 'preact/hooks';
import { nip86 } from '../api.ts';
import { html, Said, Section, shortKey, Status, useLoad, type Result } from '../ui.ts';

interface Lists {
  banned: { pubkey: string; reason?: string }[];
  ips: { ip: string; reason?: string }[];
  held: { id: string; reason: string }[];
}

/** Bans and holds over NIP-86 (admins): banned keys, blocked addresses, events held for review. */
export function AccessScreen() {
  const [tick, setTick] = useState(0);
  const { data, error } = useLoad(
    async (): Promise<Lists> => ({
      banned: await nip86('listbannedpubkeys'),
      ips: await nip86('listblockedips'),
      held: await nip86('listeventsneedingmoderation'),
    }),
    tick,
  );
  const [who, setWho] = useState('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<Result>();
  const act = async (method: string, params: unknown[], done: string) => {
    try {
      await nip86(method, params);
      setResult({ ok: true, text: done });
      setTick((t) => t + 1);
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  const ban = (e: Event) => {
    e.preventDefault();
    const ip = /^[0-9a-f.:]+$/i.test(who) && !/^[0-9a-f]{64}$/i.test(who);
    void act(ip ? 'blockip' : 'banpubkey', [who.trim(), reason], `${ip ? 'Blocked' : 'Banned'} ${who.trim()}.`);
  };
  return html`
    <form onSubmit=${ban} aria-label="Ban a key or block an address">
      <label>Pubkey (hex or npub) or IP address <input type="text" required value=${who} onInput=${(e: Event) => setWho((e.target as HTMLInputElement).value)} /></label>
      <label>Reason <input type="text" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Ban</button>
    </form>
    <${Said} result=${result} />
    <${Status} error=${error} loading=${!data && !error} />
    ${data &&
    html`
      <${Section} title="Banned keys">
        ${data.banned.length === 0
          ? html`<p class="muted">None.</p>`
          : html`<ul>${data.banned.map((b) => html`<li><code>${shortKey(b.pubkey)}</code> ${b.reason ?? ''}
              <button type="button" onClick=${() => act('unbanpubkey', [b.pubkey], `Unbanned ${shortKey(b.pubkey)}.`)} aria-label=${`Unban ${shortKey(b.pubkey)}`}>Unban</button></li>`)}</ul>`}
      <//>
      <${Section} title="Blocked addresses">
        ${data.ips.length === 0
          ? html`<p class="muted">None.</p>`
          : html`<ul>${data.ips.map((b) => html`<li><code>${b.ip}</code> ${b.reason ?? ''}
              <button type="button" onClick=${() => act('unblockip', [b.ip], `Unblocked ${b.ip}.`)} aria-label=${`Unblock ${b.ip}`}>Unblock</button></li>`)}</ul>`}
      <//>
      <${Section} title="Events held for review">
        ${data.held.length === 0
          ? html`<p class="muted">None: held events with a case are decided in the case queue.</p>`
          : html`<ul>${data.held.map((h) => html`<li><code>${shortKey(h.id)}</code> ${h.reason}
              <button type="button" onClick=${() => act('allowevent', [h.id], `Released ${shortKey(h.id)}.`)} aria-label=${`Release ${shortKey(h.id)}`}>Release</button>
              <button type="button" onClick=${() => act('banevent', [h.id], `Banned ${shortKey(h.id)}.`)} aria-label=${`Ban event ${shortKey(h.id)}`}>Ban</button></li>`)}</ul>`}
      <//>
    `}
  `;
}
