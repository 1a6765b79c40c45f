// HTTP/1.1 keep-alive connections per push-service origin, sized by what is in flight: a request takes an
// idle connection or opens one, and gives it back when answered. undici's Pool opened up to twice as many
// connections as were in flight (it counts a connection busy until its 'drain', and queues a request behind
// another on a connection that is still connecting), so a limit of 300 held 500 sockets open.
// Also tells which origins speak HTTP/2 (ALPN), asked once per origin; those go to http2-origin.ts.
import { isIP } from 'node:net';
import tls from 'node:tls';
import { Client, type Dispatcher } from 'undici';

export interface Http1PoolOptions {
  keepAliveTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  connect: { timeout: number; ca?: string[] };
}

/**
 * Whether an https:// service offers HTTP/2 (one TLS handshake, offering both as browsers do), or why the
 * handshake failed (a certificate not trusted, a connection refused…).
 */
export function offersHttp2(origin: string, options: Http1PoolOptions): Promise<boolean | Error> {
  const url = new URL(origin);
  if (url.protocol !== 'https:') return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: url.hostname,
      port: Number(url.port || 443),
      ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(options.connect.ca ? { ca: options.connect.ca } : {}),
    });
    const done = (answer: boolean | Error) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(options.connect.timeout, () =>
      done(Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
    );
    socket.once('secureConnect', () => done(socket.alpnProtocol === 'h2'));
    socket.once('error', (error) => done(error));
  });
}

/** One origin's connections: at most one request on each, so as many as the peak in flight. */
export class Http1Pool {
  readonly #origin: string;
  readonly #options: Http1PoolOptions;
  readonly #idle: Client[] = [];
  readonly #all: Client[] = [];

  constructor(origin: string, options: Http1PoolOptions) {
    this.#origin = origin;
    this.#options = options;
  }

  /** Dispatches on an idle connection (or a new one); `release` must be called once it has ended. */
  dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): { release: () => void } {
    let client = this.#idle.pop();
    if (!client) {
      // undici's Client keeps its socket alive between requests and reconnects when the service closed it.
      client = new Client(this.#origin, { ...this.#options, pipelining: 1 });
      this.#all.push(client);
    }
    const taken = client;
    taken.dispatch(options, handler);
    return { release: () => this.#idle.push(taken) };
  }

  async destroy(): Promise<void> {
    await Promise.all(this.#all.map((client) => client.destroy().catch(() => undefined)));
  }
}
