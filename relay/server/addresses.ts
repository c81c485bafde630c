import ipaddr from 'ipaddr.js';
import { NAMED_RANGES } from '../../config/sections/addresses.ts';

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * An address as text (IPv4-mapped IPv6 unwrapped; the brackets and port some proxies add
 * dropped), or undefined when the text is not an address.
 */
export function parseAddress(text: string): Ip | undefined {
  let s = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  if (!ipaddr.IPv4.isValidFourPartDecimal(s) && !ipaddr.IPv6.isValid(s)) return undefined;
  return ipaddr.process(s);
}

/** The canonical text of an address (so one client has one rate-limit key), or the text as given. */
export function normaliseAddress(text: string): string {
  return parseAddress(text)?.toString() ?? text;
}

/** A configured list of addresses and CIDR ranges ("loopback" and "private" name the usual ones). */
export class AddressList {
  private readonly ranges: [Ip, number][] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      for (const text of NAMED_RANGES[entry] ?? [entry]) {
        if (text.includes('/')) {
          this.ranges.push(ipaddr.parseCIDR(text));
          continue;
        }
        const ip = parseAddress(text);
        if (ip) this.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      }
    }
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** Answers for address strings, remembered: the policies ask once per event. */
  private readonly known = new Map<string, boolean>();

  has(address: string | Ip | undefined): boolean {
    if (this.ranges.length === 0 || address === undefined) return false;
    if (typeof address !== 'string') return this.matches(address);
    let answer = this.known.get(address);
    if (answer === undefined) {
      const ip = parseAddress(address);
      answer = ip !== undefined && this.matches(ip);
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(address, answer);
    }
    return answer;
  }

  private matches(ip: Ip): boolean {
    return this.ranges.some((range) => range[0].kind() === ip.kind() && ip.match(range));
  }
}

const compiled = new WeakMap<readonly string[], AddressList>();

/** The list for a config array, compiled once per array (a reloaded config brings new arrays). */
export function addressList(entries: readonly string[]): AddressList {
  let list = compiled.get(entries);
  if (!list) compiled.set(entries, (list = new AddressList(entries)));
  return list;
}
