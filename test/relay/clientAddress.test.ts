import { describe, expect, it } from 'vitest';
import { AddressList, parseAddress } from '../../relay/server/addresses.ts';
import { clientIp } from '../../relay/server/transport.ts';
import { buildConfig } from '../../config/load.ts';

const loopback = new AddressList(['loopback']);
const xff = (value: string) => ({ name: 'x-forwarded-for', value });

describe('address lists', () => {
  it('match addresses, CIDR ranges and the named ranges, IPv4-mapped IPv6 included', () => {
    const list = new AddressList(['203.0.113.5', '10.0.0.0/8', 'fd00::/8', 'loopback']);
    for (const yes of ['203.0.113.5', '10.200.3.4', 'fd12::1', '127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::ffff:10.1.1.1']) {
      expect(list.has(yes), yes).toBe(true);
    }
    for (const no of ['203.0.113.6', '11.0.0.1', 'fe80::1', '2001:db8::1', 'not an address', '', '1.2.3']) expect(list.has(no), no).toBe(false);
    expect(new AddressList(['private']).has('192.168.1.20')).toBe(true);
    expect(new AddressList([]).has('127.0.0.1')).toBe(false);
  });

  it('read the forms proxies write: brackets and ports', () => {
    expect(parseAddress('[2001:db8::1]:443')?.toString()).toBe('2001:db8::1');
    expect(parseAddress('203.0.113.5:5678')?.toString()).toBe('203.0.113.5');
    expect(parseAddress(' ::ffff:127.0.0.1 ')?.toString()).toBe('127.0.0.1');
    expect(parseAddress('unknown')).toBeUndefined();
  });

  it('are refused in the config when an entry is not an address', () => {
    expect(() => buildConfig({ relay: { trustedProxies: ['10.0.0.0/8', 'proxy.example'] } })).toThrow(/relay\.trustedProxies/);
    expect(() => buildConfig({ relay: { metricsAllow: ['10.0.0/8'] } })).toThrow(/relay\.metricsAllow/);
    expect(buildConfig({ relay: { trustedProxies: ['private', '::1', '192.0.2.0/24'] } }).relay.trustedProxies).toEqual(['private', '::1', '192.0.2.0/24']);
  });
});

describe('the client address behind trusted proxies', () => {
  it('is the socket address without a header, or when the peer is not a trusted proxy', () => {
    expect(clientIp('203.0.113.9', undefined, loopback)).toBe('203.0.113.9');
    expect(clientIp('203.0.113.9', xff('127.0.0.1'), loopback)).toBe('203.0.113.9');
    expect(clientIp('::ffff:203.0.113.9', undefined, loopback)).toBe('203.0.113.9');
  });

  it('is the rightmost hop that is not a trusted proxy: what a client wrote itself is never reached', () => {
    // An appending proxy (nginx $proxy_add_x_forwarded_for) after a client that claimed loopback.
    expect(clientIp('127.0.0.1', xff('127.0.0.1, 198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientIp('127.0.0.1', xff('10.9.9.9, 127.0.0.1, 198.51.100.7'), loopback)).toBe('198.51.100.7');
    // Two proxies, both trusted: the hop before them is the client.
    const chain = new AddressList(['loopback', '10.0.0.0/8']);
    expect(clientIp('127.0.0.1', xff('1.1.1.1, 198.51.100.7, 10.0.0.2'), chain)).toBe('198.51.100.7');
    // A proxy that overwrites (X-Real-IP $remote_addr).
    expect(clientIp('::1', { name: 'x-real-ip', value: '2001:db8::7' }, loopback)).toBe('2001:db8::7');
    // RFC 7239 Forwarded.
    expect(clientIp('127.0.0.1', { name: 'forwarded', value: 'for=127.0.0.1, for="[2001:db8::7]:4711";proto=https' }, loopback)).toBe('2001:db8::7');
  });

  it('stops at the proxy when a hop is not an address, and is the farthest hop when every hop is trusted', () => {
    expect(clientIp('127.0.0.1', xff('198.51.100.7, garbage'), loopback)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', xff(''), loopback)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', xff('127.0.0.5, 127.0.0.1'), loopback)).toBe('127.0.0.5');
  });
});
