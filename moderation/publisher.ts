import { wrapEvent } from 'nostr-tools/nip17';
import { signEvent } from '../relay/nostr/sign.ts';
import type { NostrEvent } from '../relay/nostr/types.ts';
import type { RelayServices } from '../relay/services.ts';
import type { ModerationKey } from './key.ts';

export interface Unsigned {
  kind: number;
  tags: string[][];
  content: string;
}

/**
 * Signs with the moderation key and publishes through the relay's own pipeline (as the labeler
 * does), and sends NIP-17 messages: a gift wrap (kind 1059) only its recipient can read.
 */
export class Publisher {
  constructor(
    private readonly services: Pick<RelayServices, 'publish' | 'log'>,
    readonly key: ModerationKey,
    private readonly relayUrl: () => string,
  ) {}

  /** The signed event, or undefined when the relay refused it (logged). */
  async publish(t: Unsigned): Promise<NostrEvent | undefined> {
    const event = signEvent({ ...t, created_at: Math.floor(Date.now() / 1000) }, this.key.sk);
    return (await this.send(event, `kind ${t.kind}`)) ? event : undefined;
  }

  /** A NIP-17 direct message from the moderation key: the gift wrap's id, or undefined when the relay refused it. */
  async message(recipient: string, text: string, subject: string): Promise<string | undefined> {
    const wrap = wrapEvent(this.key.sk, { publicKey: recipient, relayUrl: this.relayUrl() }, text, subject) as NostrEvent;
    return (await this.send(wrap, 'NIP-17 message')) ? wrap.id : undefined;
  }

  private async send(event: NostrEvent, what: string): Promise<boolean> {
    const res = await this.services.publish(event, 'internal');
    if (!res.ok) this.services.log.warn({ kind: event.kind, message: res.message }, `moderation: the relay refused a ${what}`);
    return res.ok;
  }
}
