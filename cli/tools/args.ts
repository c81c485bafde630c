import { InvalidArgumentError } from 'commander';
import { nip19 } from 'nostr-tools';
import { parsePubkey } from '../../relay/nostr/keys.ts';

/**
 * Commander parsers for what operators type: each returns the canonical form or refuses with one
 * line naming the problem (commander prints it with the argument's name, exit code 1).
 */

/** An event id: 64 hex characters (any case), a note or an nevent. */
export function eventIdArg(text: string): string {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return t.toLowerCase();
  if (t.startsWith('note1') || t.startsWith('nevent1')) {
    try {
      const d = nip19.decode(t);
      if (d.type === 'note') return d.data;
      if (d.type === 'nevent') return d.data.id;
    } catch {
      // not bech32: refused below
    }
  }
  throw new InvalidArgumentError('not an event id (64 hex characters, note1… or nevent1…)');
}

/** A pubkey: 64 hex characters (any case), an npub or an nprofile. */
export function pubkeyArg(text: string): string {
  const pk = parsePubkey(text);
  if (pk === undefined) throw new InvalidArgumentError('not a pubkey (64 hex characters, npub1… or nprofile1…)');
  return pk;
}

/** A relay's WebSocket URL: ws:// or wss:// with a host. */
export function relayUrlArg(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidArgumentError('not a relay URL (ws://host or wss://host)');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new InvalidArgumentError(`not a relay URL: ${url.protocol}// is not ws:// or wss://`);
  if (url.hostname === '') throw new InvalidArgumentError('not a relay URL: no host');
  return text.trim();
}
