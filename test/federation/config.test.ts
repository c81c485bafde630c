import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError } from '../../config/load.ts';

/** The message a bad [cluster] or [streams] value gives: the key, then what is wrong. */
function problem(overrides: Record<string, Record<string, unknown>>): string {
  try {
    buildConfig(overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('[cluster] and [streams] configuration', () => {
  it('defaults: no cluster, no mirrors (a single relay needs no Redis)', () => {
    const c = buildConfig({});
    expect(c.cluster.enabled).toBe(false);
    expect(c.streams.mirrors).toEqual([]);
  });

  it('bad values are refused with an error naming the key', () => {
    expect(problem({ cluster: { enabled: true } })).toMatch(/^cluster\.nodeId: required when cluster\.enabled is true/m);
    expect(problem({ cluster: { redisUrl: 'http://10.0.0.1' } })).toMatch(/^cluster\.redisUrl: must be a redis:\/\/ or rediss:\/\/ URL/m);
    expect(problem({ cluster: { peers: ['10.0.0.2:7777'] } })).toMatch(/^cluster\.peers\[0\]: must be a ws:\/\/ or wss:\/\/ URL/m);
    expect(problem({ cluster: { whenStreamDown: 'queue' } })).toMatch(/^cluster\.whenStreamDown: /m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: ['https://relay.example'] }] } })).toMatch(/^streams\.mirrors\[0\]\.relays\[0\]: must be a ws:\/\/ or wss:\/\/ URL/m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: [] }] } })).toMatch(/^streams\.mirrors\[0\]\.relays: name at least one relay/m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: ['wss://x'], direction: 'sideways' }] } })).toMatch(/^streams\.mirrors\[0\]\.direction: /m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: ['wss://x'], filter: { authors: ['npub1xyz'] } }] } })).toMatch(/^streams\.mirrors\[0\]\.filter\.authors\[0\]: a 64-character lowercase hex id/m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: ['wss://x'], filter: { tag: ['x'] } }] } })).toMatch(/^streams\.mirrors\[0\]\.filter\.tag: not a filter field/m);
    expect(problem({ streams: { mirrors: [{ name: 'a', relays: ['wss://x'] }, { name: 'a', relays: ['wss://y'] }] } })).toMatch(/^streams\.mirrors\[1\]\.name: "a" names two streams/m);
  });
});
