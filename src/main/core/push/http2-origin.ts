// HTTP/2 connections to one push-service origin on node:http2: each carries as many streams as the service's
// SETTINGS_MAX_CONCURRENT_STREAMS allows, more open as the requests in flight need them, idle ones close.
// A stream is never sent twice here: after a GOAWAY, streams above its last stream id fail as 'goaway' (not
// processed, the engine retries them free) and those at or below finish or fail as uncertain (RFC 9113 §6.8).
// (undici 8.13.1's Client resets and resends streams still running on its older connection when its newer
// one gets a GOAWAY, even those the service processed: test/main/core/push/http2-origin.test.ts.)
import http2 from 'node:http2';
import type tls from 'node:tls';
import type { PushServiceResponse } from './classify.ts';
import type { PushRequest } from './request.ts';

export interface Http2OriginOptions {
  /** At most this many connections that take new streams (ones told to go away only finish theirs). */
  maxConnections: number;
  /** An idle connection (no frame either way) closes after this long. */
  keepAliveTimeout: number;
  connectTimeout: number;
  /** The transport's one TLS context (its `ca`), shared by every connection as the HTTP/1.1 pool's are. */
  secureContext?: tls.SecureContext;
}

export type Http2Answer = Omit<PushServiceResponse, 'latencyMs'>;

const BODY_LIMIT = 4096;
/** Our own ceiling on streams per connection, below the server's when it allows more (Node's default: 2³²−1). */
const MAX_STREAMS_PER_CONNECTION = 1000;
/**
 * What a connection is counted for while its SETTINGS are on the way, when deciding whether to open another:
 * RFC 9113 §6.5.2 recommends servers allow no fewer than 100 concurrent streams.
 */
const ASSUMED_STREAMS = 100;
const {
  NGHTTP2_CANCEL,
  NGHTTP2_REFUSED_STREAM,
  HTTP2_HEADER_METHOD,
  HTTP2_HEADER_PATH,
  HTTP2_HEADER_STATUS,
} = http2.constants;

function connectError(error: Error | undefined): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'PUSHDECK_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === undefined) return 'connection reset';
  // Certificate codes and the like, which network-errors.ts explains.
  return code.slice(0, 120);
}

interface Connection {
  session: http2.ClientHttp2Session;
  /** The service's SETTINGS arrived: streams may start, up to `capacity`. */
  ready: boolean;
  capacity: number;
  active: number;
  /** GOAWAY received (or closing): takes no new streams; the last stream id the service may have processed. */
  goneAway: boolean;
  lastStreamId: number;
  error?: Error;
}

/** One request: queued until a connection has room, then one stream; `done` is called exactly once. */
class Exchange {
  readonly request: PushRequest;
  readonly #done: (answer: Http2Answer) => void;
  stream: http2.ClientHttp2Stream | null = null;
  connection: Connection | null = null;
  cancelled: Error | null = null;
  settled = false;
  status = 0;
  headers: Http2Answer['headers'] = {};
  body = '';
  ended = false;
  streamError: (Error & { code?: string }) | null = null;

  constructor(request: PushRequest, done: (answer: Http2Answer) => void) {
    this.request = request;
    this.#done = done;
  }

  finish(answer: Http2Answer): void {
    if (this.settled) return;
    this.settled = true;
    this.#done(answer);
  }

  fail(error: string): void {
    this.finish({ status: null, headers: {}, body: '', error });
  }
}

/** Why a stream closed without a full answer, by what the service said about it. */
function streamFailure(exchange: Exchange, connection: Connection): string {
  if (exchange.cancelled) return 'timeout';
  const id = exchange.stream?.id ?? 0;
  // RFC 9113 §6.8: streams above the GOAWAY's last stream id were not processed; safe on a new connection.
  if (connection.goneAway && (id === 0 || id > connection.lastStreamId)) return 'goaway';
  if (exchange.streamError?.code === 'ERR_HTTP2_STREAM_ERROR') {
    // RST_STREAM from the service. RFC 9113 §8.7: REFUSED_STREAM means not processed.
    return exchange.stream?.rstCode === NGHTTP2_REFUSED_STREAM ? 'refused stream' : 'stream reset';
  }
  // At or below the last stream id: the service may have processed it. Not 'goaway' (which the engine
  // retries free): it fails as uncertain and is retried only as a counted attempt.
  if (connection.goneAway) return 'connection closed after GOAWAY before the answer';
  return connectError(exchange.streamError ?? connection.error);
}

export class Http2Origin {
  readonly #origin: string;
  readonly #options: Http2OriginOptions;
  readonly #connections: Connection[] = [];
  #queue: Exchange[] = [];
  #queueHead = 0;
  #destroyed = false;

  constructor(origin: string, options: Http2OriginOptions) {
    this.#origin = origin;
    this.#options = options;
  }

  /** Sends one request; returns how to cancel it (queued or on its way) with a reason. */
  send(request: PushRequest, done: (answer: Http2Answer) => void): (reason: Error) => void {
    const exchange = new Exchange(request, done);
    if (this.#destroyed) exchange.fail('connection reset');
    else {
      this.#queue.push(exchange);
      this.#pump();
    }
    return (reason) => this.#cancel(exchange, reason);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (let i = this.#queueHead; i < this.#queue.length; i++) this.#queue[i]!.fail('connection reset');
    this.#queue = [];
    this.#queueHead = 0;
    const closing = this.#connections.map(
      (c) =>
        new Promise<void>((resolve) => (c.session.closed ? resolve() : c.session.once('close', resolve))),
    );
    for (const c of [...this.#connections]) c.session.destroy();
    await Promise.all(closing);
  }

  #cancel(exchange: Exchange, reason: Error): void {
    if (exchange.settled || exchange.cancelled) return;
    exchange.cancelled = reason;
    if (exchange.stream) exchange.stream.close(NGHTTP2_CANCEL);
    else exchange.fail('timeout'); // still queued: never sent; the pump skips it
  }

  /** Starts queued requests on connections with room; opens connections for the rest, up to the cap. */
  #pump(): void {
    while (this.#queueHead < this.#queue.length) {
      const exchange = this.#queue[this.#queueHead]!;
      if (exchange.settled) {
        this.#queueHead += 1;
        continue;
      }
      const connection = this.#roomy();
      if (!connection) break;
      this.#queueHead += 1;
      this.#start(exchange, connection);
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
      return;
    }
    let room = 0;
    let taking = 0;
    for (const c of this.#connections) {
      if (c.goneAway) continue;
      taking += 1;
      room += c.ready ? c.capacity - c.active : ASSUMED_STREAMS;
    }
    const waiting = this.#queue.length - this.#queueHead;
    while (waiting > room && taking < this.#options.maxConnections) {
      this.#open();
      taking += 1;
      room += ASSUMED_STREAMS;
    }
  }

  /** The oldest connection with room: streams are packed, so that the youngest go idle and close. */
  #roomy(): Connection | null {
    for (const c of this.#connections) if (c.ready && !c.goneAway && c.active < c.capacity) return c;
    return null;
  }

  #open(): void {
    const session = http2.connect(this.#origin, {
      ...(this.#options.secureContext ? { secureContext: this.#options.secureContext } : {}),
      settings: { enablePush: false },
    });
    const connection: Connection = {
      session,
      ready: false,
      capacity: 0,
      active: 0,
      goneAway: false,
      lastStreamId: 0,
    };
    this.#connections.push(connection);
    const connectTimer = setTimeout(() => {
      session.destroy(Object.assign(new Error('connect timeout'), { code: 'PUSHDECK_CONNECT_TIMEOUT' }));
    }, this.#options.connectTimeout);
    session.on('remoteSettings', (settings) => {
      // Node's docs: emitted for each SETTINGS frame from the service, the first one with its limits.
      clearTimeout(connectTimer);
      connection.capacity = Math.min(
        settings.maxConcurrentStreams ?? ASSUMED_STREAMS,
        MAX_STREAMS_PER_CONNECTION,
      );
      connection.ready = true;
      if (connection.active === 0) session.unref(); // ref'd again by its first stream
      this.#pump();
    });
    session.on('goaway', (_code, lastStreamId) => {
      // Node shuts the session down after this event (on a code other than NO_ERROR at once); nghttp2
      // closes the streams above lastStreamId with REFUSED_STREAM. New requests go to another connection.
      connection.goneAway = true;
      connection.lastStreamId = lastStreamId;
      this.#pump();
    });
    session.on('error', (error) => (connection.error = error));
    // Keep-alive: Node calls this after the timeout without a frame either way.
    session.setTimeout(this.#options.keepAliveTimeout, () => {
      if (connection.active === 0) this.#retire(connection);
    });
    session.on('close', () => {
      clearTimeout(connectTimer);
      const at = this.#connections.indexOf(connection);
      if (at >= 0) this.#connections.splice(at, 1);
      if (!connection.ready) {
        // It never carried a stream: what waits was never sent. Fail it with the reason (the engine's
        // retry rules apply) rather than opening connection after connection to an origin that refuses.
        const reason = connectError(connection.error);
        for (let i = this.#queueHead; i < this.#queue.length; i++) this.#queue[i]!.fail(reason);
        this.#queue = [];
        this.#queueHead = 0;
      } else if (!this.#destroyed) this.#pump();
    });
  }

  #retire(connection: Connection): void {
    connection.goneAway = true;
    connection.lastStreamId = 2 ** 31 - 1;
    connection.session.close();
  }

  #start(exchange: Exchange, connection: Connection): void {
    const { request } = exchange;
    let stream: http2.ClientHttp2Stream;
    try {
      stream = connection.session.request(
        { [HTTP2_HEADER_METHOD]: 'POST', [HTTP2_HEADER_PATH]: request.path, ...request.headers },
        { endStream: request.body === null },
      );
    } catch {
      // Nothing was sent (the session closed meanwhile): wait for another connection.
      connection.goneAway = true;
      this.#queue.push(exchange);
      return;
    }
    if (connection.active === 0) connection.session.ref();
    connection.active += 1;
    exchange.stream = stream;
    exchange.connection = connection;
    stream.on('response', (headers) => {
      exchange.status = Number(headers[HTTP2_HEADER_STATUS]);
      exchange.headers = headers;
    });
    stream.on('data', (chunk: Buffer) => {
      // Error bodies are short; a 201 has none.
      if (exchange.body.length < BODY_LIMIT) exchange.body += chunk.toString('utf8');
    });
    stream.on('end', () => (exchange.ended = true));
    stream.on('error', (error) => (exchange.streamError = error));
    stream.on('close', () => this.#closed(exchange, connection));
    if (request.body !== null) stream.end(request.body);
  }

  #closed(exchange: Exchange, connection: Connection): void {
    connection.active -= 1;
    if (exchange.ended && exchange.status > 0 && !exchange.cancelled) {
      const body = exchange.body;
      exchange.finish({
        status: exchange.status,
        headers: exchange.headers,
        body: body.length > BODY_LIMIT ? body.slice(0, BODY_LIMIT) : body,
      });
    } else exchange.fail(streamFailure(exchange, connection));
    if (connection.active === 0) {
      if (connection.goneAway) connection.session.close();
      else connection.session.unref(); // an idle keep-alive connection does not hold the process open
    }
    this.#pump();
  }
}
