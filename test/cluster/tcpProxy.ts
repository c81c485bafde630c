import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './redisServer.ts';

/** A loopback TCP proxy the test can cut and heal: a network partition between one node and Redis. */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(readonly port: number, private readonly target: number) {}

  static async start(target: number): Promise<TcpProxy> {
    const p = new TcpProxy(await freePort(), target);
    await p.heal();
    return p;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  heal(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}
