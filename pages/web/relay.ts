/// <reference lib="dom" />
import { sign, type SignedEvent } from './signer.ts';

type Filter = Record<string, unknown>;
const KIND_AUTH = 22242;

/** The relay's WebSocket address, from the page's own (http → ws, https → wss). */
export const relayUrl = (): string => new URL('/', location.href).href.replace(/^http/, 'ws');

/**
 * A small NIP-01 client over the relay's own WebSocket: publish (waits for OK), query (until
 * EOSE) and wait for one event; answers a NIP-42 challenge through the signer when asked.
 */
export class RelaySocket {
  private ws: WebSocket | undefined;
  private opened: Promise<WebSocket> | undefined;
  private challenge: string | undefined;
  private readonly waiting = new Map<string, (msg: unknown[]) => void>();
  private seq = 0;

  private open(): Promise<WebSocket> {
    this.opened ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(relayUrl());
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('cannot reach the relay over WebSocket'));
      ws.onclose = () => {
        this.opened = undefined;
        for (const done of this.waiting.values()) done(['CLOSED', '', 'error: connection closed']);
        this.waiting.clear();
      };
      ws.onmessage = (m) => this.receive(JSON.parse(String(m.data)) as unknown[]);
      this.ws = ws;
    });
    return this.opened;
  }

  private receive(msg: unknown[]): void {
    const [verb, key] = msg as [string, string];
    if (verb === 'AUTH') this.challenge = key;
    const done = this.waiting.get(`${verb === 'EOSE' || verb === 'CLOSED' || verb === 'EVENT' ? 'sub' : 'ok'}:${key}`);
    done?.(msg);
  }

  private async authenticate(): Promise<boolean> {
    if (!this.challenge) return false;
    const auth = await sign(KIND_AUTH, '', [['relay', relayUrl()], ['challenge', this.challenge]]);
    const [, ok, reason] = await this.send(['AUTH', auth], `ok:${auth.id}`);
    if (!ok) throw new Error(String(reason));
    return true;
  }

  private async send(frame: unknown[], key: string): Promise<unknown[]> {
    const ws = await this.open();
    return new Promise((resolve) => {
      this.waiting.set(key, (msg) => {
        this.waiting.delete(key);
        resolve(msg);
      });
      ws.send(JSON.stringify(frame));
    });
  }

  /** Publishes a signed event; throws the relay's reason when it says no. */
  async publish(event: SignedEvent, retried = false): Promise<void> {
    const [, , ok, reason] = await this.send(['EVENT', event], `ok:${event.id}`);
    if (ok === true) return;
    if (!retried && String(reason).startsWith('auth-required') && (await this.authenticate())) return this.publish(event, true);
    throw new Error(String(reason ?? 'the relay did not answer'));
  }

  /** Stored events matching the filters, up to EOSE. */
  async query(filters: Filter[], retried = false): Promise<SignedEvent[]> {
    await this.open();
    const id = `q${++this.seq}`;
    const events: SignedEvent[] = [];
    const end = await new Promise<unknown[]>((resolve) => {
      this.waiting.set(`sub:${id}`, (msg) => {
        if (msg[0] === 'EVENT') return void events.push(msg[2] as SignedEvent);
        this.waiting.delete(`sub:${id}`);
        resolve(msg);
      });
      this.ws!.send(JSON.stringify(['REQ', id, ...filters]));
    });
    if (end[0] === 'CLOSED') {
      if (!retried && String(end[2]).startsWith('auth-required') && (await this.authenticate())) return this.query(filters, true);
      throw new Error(String(end[2]));
    }
    this.ws!.send(JSON.stringify(['CLOSE', id]));
    return events;
  }

  /** The first event matching the filters, stored or live, within `ms`. */
  async next(filters: Filter[], ms: number): Promise<SignedEvent | undefined> {
    await this.open();
    const id = `w${++this.seq}`;
    return new Promise((resolve) => {
      const finish = (e: SignedEvent | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(`sub:${id}`);
        this.ws?.send(JSON.stringify(['CLOSE', id]));
        resolve(e);
      };
      const timer = setTimeout(() => finish(undefined), ms);
      this.waiting.set(`sub:${id}`, (msg) => {
        if (msg[0] === 'EVENT') finish(msg[2] as SignedEvent);
        else if (msg[0] === 'CLOSED') finish(undefined);
      });
      this.ws!.send(JSON.stringify(['REQ', id, ...filters]));
    });
  }
}

export const relay = new RelaySocket();
