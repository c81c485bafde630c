import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import type { NostrEvent } from '../../../relay/nostr/types.ts';

/** One hostile frame and what a relay may answer to it. */
export interface HostileFrame {
  family: string;
  data: string | Buffer;
  /** Sent as a binary frame (the relay decodes it as UTF-8). */
  binary?: boolean;
  /** A REQ/COUNT that is odd but well-formed: EOSE or COUNT is a fine answer too. */
  mayServe?: boolean;
}

const WEIRD: unknown[] = [
  null, true, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, '', 'x', 'ZZ'.repeat(32), 'A'.repeat(64), '0'.repeat(63), [], {}, [[]], [1], [null],
  { a: 1 }, '\u0000', '\ud800', 'é'.repeat(40), '9'.repeat(400),
];

/** Text made of JSON brackets nested `depth` deep. */
const nested = (depth: number, open = '[', close = ']', inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth);

/**
 * A seeded stream of malformed frames: invalid JSON and UTF-8, wrong types in every position,
 * deep nesting, huge numbers and strings, unknown verbs, oversize frames, bad ids and
 * signatures, absurd filters. `maxMessageBytes` is the relay's limit (oversize frames exceed it
 * but stay under the transport's own cut-off).
 */
export class HostileGenerator {
  private readonly signed: NostrEvent[];
  private n = 0;

  constructor(private readonly random: () => number, private readonly maxMessageBytes: number, pool = 32) {
    const sk = generateSecretKey();
    this.signed = Array.from({ length: pool }, (_, i) =>
      JSON.parse(JSON.stringify(finalizeEvent({ kind: 1, content: `hostile template ${i}`, tags: [['t', 'x']], created_at: Math.floor(Date.now() / 1000) }, sk))),
    );
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
  private int(max: number): number {
    return Math.floor(this.random() * max);
  }
  private event(): NostrEvent {
    return { ...this.pick(this.signed), tags: [['t', 'x']] };
  }
  private sub(): string {
    return `h${this.n}`;
  }

  next(): HostileFrame {
    this.n++;
    const families = [
      () => this.badJson(), () => this.badUtf8(), () => this.notAnArray(), () => this.unknownVerb(), () => this.eventWrongType(),
      () => this.eventBadIdOrSig(), () => this.reqBadFilter(), () => this.reqAbsurdFilter(), () => this.deepNesting(),
      () => this.hugeStrings(), () => this.oversize(), () => this.otherVerbsWrongTypes(),
    ];
    return this.pick(families)();
  }

  private badJson(): HostileFrame {
    const valid = JSON.stringify(['EVENT', this.event()]);
    const cases = [
      valid.slice(0, 1 + this.int(valid.length - 2)),
      valid.replace(/"/g, "'"),
      `["REQ","${this.sub()}",{]`,
      '[',
      ']',
      '',
      ' ',
      'NaN',
      '["EVENT",undefined]',
      `["REQ","${this.sub()}",{"kinds":[1,]}]`,
      String.fromCharCode(...Array.from({ length: 40 }, () => 32 + this.int(95))),
      '["CLOSE","a"]]]',
      '\u0000\u0001\u0002',
    ];
    return { family: 'invalid JSON', data: this.pick(cases) };
  }

  private badUtf8(): HostileFrame {
    // Invalid bytes outside any string literal: decoded, they can never parse.
    const bytes = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
    return { family: 'invalid UTF-8 (binary frame)', data: Buffer.concat([Buffer.from('['), this.pick(bytes), Buffer.from(']')]), binary: true };
  }

  private notAnArray(): HostileFrame {
    const cases = ['{}', '42', '"EVENT"', 'null', 'true', '[]', '[1,2]', '[null]', '[["EVENT"]]', '{"0":"REQ"}', '-0', '1e999'];
    return { family: 'not a message', data: this.pick(cases) };
  }

  private unknownVerb(): HostileFrame {
    const verbs = ['event', 'req', 'HELLO', 'EVENTS', 'X'.repeat(5000), '', 'OK', 'EOSE', 'NOTICE', 'CLOSED', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    return { family: 'unknown verb', data: JSON.stringify([this.pick(verbs), this.event()]) };
  }

  private eventWrongType(): HostileFrame {
    const e = this.event() as unknown as Record<string, unknown>;
    const field = this.pick(['id', 'pubkey', 'created_at', 'kind', 'tags', 'content', 'sig', '__proto__']);
    const value = this.pick(WEIRD);
    // An own "__proto__" key is dropped by the relay, so the signature is spoiled too: the
    // templates must never be stored (a stored id answers later mutations with duplicate:).
    const bad =
      field === 'tags' && this.random() < 0.5 ? { ...e, tags: [['t', this.pick(WEIRD.filter((v) => v !== 'x'))]] } : field === '__proto__' ? { ...e, sig: '0'.repeat(128), [field]: value } : { ...e, [field]: value };
    const frames = [['EVENT', bad], ['EVENT'], ['EVENT', this.pick(WEIRD)], ['EVENT', bad, bad]];
    return { family: 'EVENT with wrong types', data: JSON.stringify(this.pick(frames)) };
  }

  private eventBadIdOrSig(): HostileFrame {
    const e = this.event();
    const flip = (hex: string) => {
      const i = this.int(hex.length);
      return hex.slice(0, i) + (hex[i] === '0' ? '1' : '0') + hex.slice(i + 1);
    };
    const cases: NostrEvent[] = [
      { ...e, id: flip(e.id) },
      { ...e, sig: flip(e.sig) },
      { ...e, content: `${e.content}!` },
      { ...e, pubkey: flip(e.pubkey) },
      { ...e, created_at: e.created_at + 1 },
      { ...e, sig: '0'.repeat(128) },
      { ...e, pubkey: 'f'.repeat(64) },
    ];
    return { family: 'bad id or signature', data: JSON.stringify(['EVENT', this.pick(cases)]) };
  }

  private reqBadFilter(): HostileFrame {
    const verb = this.pick(['REQ', 'COUNT']);
    // [] and {} are fair values here (an empty list, an empty filter).
    const weird = this.pick(WEIRD.filter((v) => JSON.stringify(v) !== '[]' && JSON.stringify(v) !== '{}'));
    const filters: unknown[] = [
      { ids: weird }, { ids: ['zz'] }, { authors: [1] }, { authors: 'abc' }, { kinds: [-1] }, { kinds: [1.5] }, { kinds: ['1'] },
      { kinds: 1 }, { since: 'yesterday' }, { until: 1.5 }, { limit: -5 }, { limit: '10' }, { search: 5 }, { '#e': 'str' }, { '#e': ['nothex'] },
      { '#': ['x'] }, { '#toolong': ['x'] }, { unknown: 1 }, weird, { kinds: Array.from({ length: 5000 }, (_, i) => i) },
      { '#t': [1, 2] }, { since: 1e400 },
    ];
    const subIds = [this.sub(), this.sub(), this.sub(), '', 'S'.repeat(300), 5, null, {}];
    if (this.random() < 0.8) return { family: `${verb} with bad filters`, data: JSON.stringify([verb, this.sub(), this.pick(filters)]) };
    if (this.random() < 0.2) return { family: `${verb} without filters`, data: JSON.stringify([verb, this.sub()]) };
    const subId = this.pick(subIds);
    // A good id with an empty filter is a fair request: only the bad ids must be refused.
    return { family: `${verb} with a bad subscription id`, data: JSON.stringify([verb, subId, {}]), mayServe: subId === this.sub() };
  }

  private reqAbsurdFilter(): HostileFrame {
    const verb = this.pick(['REQ', 'COUNT']);
    const filters: unknown[] = [
      { limit: 1e15 }, { limit: 0 }, { since: 2 ** 53 - 1 }, { until: 0 }, { since: 10, until: 5 }, { kinds: [2 ** 53 - 1] },
      { kinds: [65536, 99999999] }, { authors: ['0'.repeat(64)], kinds: [2 ** 40] }, { ids: [] }, { authors: [] }, { '#e': [] },
      { '#t': ['x'.repeat(10_000)] }, { search: 'x'.repeat(5_000) }, { search: '' }, { search: '((((*?+[' }, { '#Z': ['a'] },
      { ids: Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(64, '0')) }, { authors: ['f'.repeat(64)], '#p': ['0'.repeat(64)], since: 0, until: 2 ** 53 - 1 },
      { kinds: [4, 1059] },
    ];
    const count = 1 + this.int(3);
    return { family: `${verb} with absurd values`, data: JSON.stringify([verb, this.sub(), ...Array.from({ length: count }, () => this.pick(filters))]), mayServe: true };
  }

  private deepNesting(): HostileFrame {
    const depth = this.pick([100, 1_000, 5_000]);
    const e = this.event();
    const cases = [
      `["EVENT",${JSON.stringify(e).replace('"tags":[["t","x"]]', `"tags":${nested(depth)}`)}]`,
      `["REQ","${this.sub()}",{"#e":${nested(depth)}}]`,
      `["REQ","${this.sub()}",${nested(depth, '{"a":', '}')}]`,
      nested(depth),
      `["EVENT",${nested(depth, '{"a":', '}')}]`,
      `["AUTH",${nested(depth)}]`,
    ];
    return { family: 'deep nesting', data: this.pick(cases) };
  }

  private hugeStrings(): HostileFrame {
    const room = this.maxMessageBytes - 400;
    const e = this.event();
    const cases = [
      JSON.stringify(['EVENT', { ...e, content: 'x'.repeat(room) }]),
      JSON.stringify(['EVENT', { ...e, tags: [['t', 'y'.repeat(room)]] }]),
      JSON.stringify(['EVENT', { ...e, tags: Array.from({ length: Math.floor(room / 8) }, () => ['t']) }]),
      JSON.stringify(['REQ', 'z'.repeat(room), {}]),
      JSON.stringify(['EVENT', { ...e, kind: Number('9'.repeat(300)) }]),
      JSON.stringify(['EVENT', { ...e, created_at: -(2 ** 60) }]),
      `["EVENT",${JSON.stringify(e).replace(/"kind":1/, `"kind":1${'0'.repeat(room / 2)}`)}]`,
    ];
    return { family: 'huge numbers and strings', data: this.pick(cases) };
  }

  private oversize(): HostileFrame {
    const over = this.maxMessageBytes + 1 + this.int(this.maxMessageBytes);
    const e = this.event();
    const cases = [
      JSON.stringify(['EVENT', { ...e, content: 'x'.repeat(over) }]),
      JSON.stringify(['REQ', this.sub(), { search: 's'.repeat(over) }]),
      '['.repeat(over),
      ' '.repeat(over),
    ];
    return { family: 'oversize frame', data: this.pick(cases) };
  }

  private otherVerbsWrongTypes(): HostileFrame {
    const cases = [
      ['CLOSE'], ['CLOSE', 5], ['CLOSE', null], ['CLOSE', {}], ['AUTH'], ['AUTH', this.pick(WEIRD)], ['AUTH', this.event()],
      ['AUTH', { ...this.event(), kind: 22242 }], ['REQ'], ['COUNT'], ['EVENT', this.event(), 'extra'],
    ];
    return { family: 'CLOSE/AUTH with wrong types', data: JSON.stringify(this.pick(cases)) };
  }
}
