// HTTP/1.1 keep-alive connections per push-service origin, sized by what is in flight: a request takes an
// idle connection or opens one, and gives it back when answered. undici's Pool opened up to twice as many
// connections as were in flight (it counts a connection busy until its 'drain', and queues a request behind
// another on a connection that is still connecting), so a limit of 300 held 500 sockets open.
// The origin's connections share one connector, as a Pool's do: a TLS session is resumed across them.
// Also tells which origins speak HTTP/2 (ALPN), asked once per origin; those go to http2-origin.ts.
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { buildConnector, Client, Dispatcher } from 'undici';

export interface Http1PoolOptions {
  keepAliveTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  connect: {
    timeout: number;
    ca?: string[];
    /**
     * Built once from `ca`, for every connection: without it tls.connect builds one per connection from the
     * options (nodejs.org/api/tls.html#tlsconnectoptions-callback; lib/_tls_wrap.js `options.secureContext
     * || tls.createSecureContext(options)`), each with its own CA store: ~30 KB more per connection here.
     */
    secureContext?: tls.SecureContext;
  };
}

/** The TLS context of every connection to a service (undefined: Node's default CAs). */
export function secureContextFor(ca: string[] | undefined): tls.SecureContext | undefined {
  return ca ? tls.createSecureContext({ ca }) : undefined;
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
      ...tlsOptions(options),
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

function tlsOptions(options: Http1PoolOptions): tls.ConnectionOptions {
  const { ca, secureContext } = options.connect;
  return secureContext ? { secureContext } : ca ? { ca } : {};
}

/** What the pool uses of undici (loaded only for HTTP/1.1 services: transport.ts). */
export type Undici = Pick<typeof import('undici'), 'Client' | 'buildConnector'>;

/** One origin's connections: at most one request on each, so as many as the peak in flight. */
export class Http1Pool {
  readonly #origin: string;
  readonly #options: Pick<Http1PoolOptions, 'keepAliveTimeout' | 'headersTimeout' | 'bodyTimeout'>;
  readonly #connect: buildConnector.connector;
  readonly #Client: typeof Client;
  readonly #idle: Client[] = [];
  readonly #all: Client[] = [];

  /** `undici`: the module, which the caller loads once an origin turns out to speak HTTP/1.1. */
  constructor(origin: string, options: Http1PoolOptions, undici: Undici) {
    this.#origin = origin;
    this.#Client = undici.Client;
    const { keepAliveTimeout, headersTimeout, bodyTimeout } = options;
    this.#options = { keepAliveTimeout, headersTimeout, bodyTimeout };
    // One connector (its TLS session cache) for all: a new Client would build its own, and each of its
    // connections would then make a full handshake. Only http/1.1 is offered: the probe found no h2 here.
    this.#connect = undici.buildConnector({
      timeout: options.connect.timeout,
      allowH2: false,
      ...tlsOptions(options),
    });
  }

  /** Dispatches on an idle connection (or a new one); `release` must be called once it has ended. */
  dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): { release: () => void } {
    let client = this.#idle.pop();
    if (!client) {
      // undici's Client keeps its socket alive between requests and reconnects when the service closed it.
      client = new this.#Client(this.#origin, { ...this.#options, connect: this.#connect, pipelining: 1 });
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
