import { connect, type Socket } from 'node:net';
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { RelayFrames } from './relayFrames.ts';

/**
 * A lean WebSocket client for the fan-out subscribers: one real RFC 6455 connection over
 * loopback TCP, whose frames are parsed straight from the socket's reads.
 *
 * Why: 1,000 `ws` clients in one Node process dispatch each frame through a Writable stream,
 * UTF-8 validation and a 'message' event. At 10,000 copies of an event that took the load
 * generator 20-26 ms of CPU per event, more than the relay needed to send them, and its last
 * copy was read 8-10 ms after the relay had written it: the figure measured the load generator.
 * These clients need 8-11 ms and keep up. A read is timestamped once, when its bytes reach this
 * process, and every frame in it is parsed and counted in place; nothing is skipped or sampled,
 * and a frame that spans reads is stamped when its last byte arrives.
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A server frame larger than this ends the connection (the bench's frames are under 1 KiB). */
const MAX_MESSAGE = 16 * 1024 * 1024;

const enum Op { Continuation = 0, Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10 }

/** Called for each complete message; `payload` is only valid during the call (buffers are reused). */
export type OnMessage = (payload: Buffer, at: number) => void;

/**
 * Splits a server → client byte stream (unmasked frames) into messages. Control frames go to
 * `onControl`; text and binary messages, reassembled from fragments, to `onMessage`.
 */
export class FrameReader {
  /** Bytes of an incomplete frame, copied (the caller's buffer is reused), and how many it needs. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 0;
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;

  constructor(
    private readonly onMessage: OnMessage,
    private readonly onControl: (op: number, payload: Buffer) => void,
    private readonly onError: (reason: string) => void,
  ) {}

  /** Feeds one read; `chunk` may be reused by the caller once this returns. */
  push(chunk: Buffer, at: number): void {
    let buf = chunk;
    if (this.pendingBytes > 0) {
      this.pending.push(Buffer.from(chunk));
      this.pendingBytes += chunk.length;
      // A large frame over many reads is joined once, when complete.
      if (this.pendingBytes < this.need) return;
      buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let pos = 0;
    const end = buf.length;
    for (;;) {
      const size = this.frameSize(buf, pos);
      if (size < 0) return this.onError('frame too large or masked');
      if (size === 0 || end - pos < size) break;
      const b1 = buf[pos + 1]! & 0x7f;
      const start = pos + (b1 === 127 ? 10 : b1 === 126 ? 4 : 2);
      const b0 = buf[pos]!;
      pos += size;
      this.frame(b0, buf.subarray(start, pos), at);
    }
    if (pos < end) {
      this.pending = [Buffer.from(buf.subarray(pos))];
      this.pendingBytes = end - pos;
      this.need = Math.max(this.frameSize(buf, pos), 0);
    }
  }

  /** Header plus payload of the frame at `pos`; 0 when its header is not all there yet, -1 if refused. */
  private frameSize(buf: Buffer, pos: number): number {
    const left = buf.length - pos;
    if (left < 2) return 0;
    const b1 = buf[pos + 1]!;
    if (b1 & 0x80) return -1; // server frames are never masked
    const len7 = b1 & 0x7f;
    if (len7 < 126) return 2 + len7;
    if (len7 === 126) return left < 4 ? 0 : 4 + buf.readUInt16BE(pos + 2);
    if (left < 10) return 0;
    if (buf.readUInt32BE(pos + 2) !== 0) return -1;
    const len = buf.readUInt32BE(pos + 6);
    return len > MAX_MESSAGE ? -1 : 10 + len;
  }

  private frame(b0: number, payload: Buffer, at: number): void {
    const fin = (b0 & 0x80) !== 0;
    const op = b0 & 0x0f;
    if (op >= Op.Close) return this.onControl(op, payload);
    if (op !== Op.Continuation && fin && this.fragments.length === 0) return this.onMessage(payload, at);
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_MESSAGE) return this.onError('message too large');
    this.fragments.push(Buffer.from(payload));
    if (!fin) return;
    const whole = Buffer.concat(this.fragments, this.fragmentBytes);
    this.fragments = [];
    this.fragmentBytes = 0;
    this.onMessage(whole, at);
  }
}

/** One masked client → server frame (RFC 6455 requires clients to mask). */
export function clientFrame(op: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + len);
  out[0] = 0x80 | op;
  if (head === 2) out[1] = 0x80 | len;
  else if (head === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(len, 6);
  }
  const mask = randomFillSync(out, head, 4);
  for (let i = 0; i < len; i++) out[head + 4 + i] = payload[i]! ^ mask[head + (i & 3)]!;
  return out;
}

/** One read buffer for every lean client: reads are handled synchronously, one at a time. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** A fan-out subscriber with the callbacks of loadgen's Client; EVENT frames are never parsed. */
export class LeanClient extends RelayFrames {
  closed = false;
  private readonly reader = new FrameReader(
    (payload, at) => this.handleFrame(payload, at),
    (op, payload) => this.control(op, payload),
    () => this.close(),
  );

  private constructor(private readonly socket: Socket) {
    super();
  }

  /** Connects and completes the opening handshake at ws://host:port/path. */
  static open(url: string, timeoutMs = 15_000): Promise<LeanClient> {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    return new Promise((resolve, reject) => {
      let client: LeanClient | undefined;
      let head = Buffer.alloc(0);
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error('handshake timed out')), timeoutMs);
      const socket = connect({
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: Number(u.port || 80),
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (n, bytes) => {
            const at = performance.now();
            const buf = bytes as Buffer;
            if (client) {
              client.reader.push(buf.subarray(0, n), at);
              return true;
            }
            head = Buffer.concat([head, buf.subarray(0, n)]);
            const endOfHead = head.indexOf('\r\n\r\n');
            if (endOfHead < 0) {
              if (head.length > 16_384) fail(new Error('handshake response too large'));
              return true;
            }
            const response = head.subarray(0, endOfHead).toString('latin1');
            const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
            const got = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(response)?.[1];
            if (status !== '101' || got !== accept) {
              fail(new Error(`handshake refused: ${response.split('\r\n')[0]}`));
              return false;
            }
            clearTimeout(timer);
            client = new LeanClient(socket);
            socket.removeListener('error', fail);
            socket.on('error', () => client!.close());
            socket.on('close', () => (client!.closed = true));
            resolve(client);
            // The relay's first frames (AUTH) may share the read with the handshake response.
            const rest = head.subarray(endOfHead + 4);
            if (rest.length > 0) client.reader.push(rest, at);
            return true;
          },
        },
      });
      socket.once('error', fail);
      socket.once('connect', () => {
        const host = u.port ? `${u.hostname}:${u.port}` : u.hostname;
        socket.write(`GET ${u.pathname || '/'} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
    });
  }

  private control(op: number, payload: Buffer): void {
    if (op === Op.Ping) this.write(clientFrame(Op.Pong, Buffer.from(payload)));
    else if (op === Op.Close) this.close();
  }

  private write(frame: Buffer): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(frame);
  }

  send(text: string): void {
    this.write(clientFrame(Op.Text, Buffer.from(text)));
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}

/** Opens n lean clients, `concurrency` handshakes at a time; throws if any fails. */
export async function openLeanClients(url: string, n: number, concurrency = 100): Promise<LeanClient[]> {
  const clients: LeanClient[] = [];
  try {
    for (let done = 0; done < n; done += concurrency) {
      const wave = Math.min(concurrency, n - done);
      clients.push(...(await Promise.all(Array.from({ length: wave }, () => LeanClient.open(url)))));
    }
  } catch (err) {
    for (const c of clients) c.close();
    throw new Error(`opening connection ${clients.length + 1} of ${n}: ${(err as Error).message}`);
  }
  return clients;
}
