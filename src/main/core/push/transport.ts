// Sends push requests: keep-alive connections per push-service origin, a per-request timeout that aborts the
// request, and HTTPS_PROXY / NO_PROXY. http:// endpoints go over plain http (local services), https:// over
// TLS. How many requests are in flight is the engine's adaptive limit: an HTTP/2 service (offered through
// ALPN, asked once per origin) gets connections as that needs them, each carrying as many streams as its
// SETTINGS_MAX_CONCURRENT_STREAMS allows (http2-origin.ts, our own on node:http2: it never sends a stream
// twice); an HTTP/1.1 one a connection per request in flight (http1-pool.ts). Through a proxy, undici's
// EnvHttpProxyAgent as before: it tunnels (CONNECT) and honours NO_PROXY, which node:http2 does not do.
import type { Dispatcher } from 'undici';
import type { PushServiceResponse } from './classify.ts';
import { Http1Pool, offersHttp2, secureContextFor } from './http1-pool.ts';
import { Http2Origin, type Http2Answer } from './http2-origin.ts';
import type { PushRequest } from './request.ts';

export interface TransportOptions {
  /**
   * At most this many connections per origin (the per-origin cap on requests in flight): HTTP/1.1 carries
   * one request at a time on each; HTTP/2 needs one per SETTINGS_MAX_CONCURRENT_STREAMS streams.
   */
  connectionsPerOrigin: number;
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust, e.g. a local push service's. NODE_EXTRA_CA_CERTS also works. */
  ca?: string[];
  /** A proxy for every request (the setting); otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY from env. */
  proxy?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Transport {
  send(request: PushRequest): Promise<PushServiceResponse>;
  close(): Promise<void>;
}

const BODY_LIMIT = 4096;
/** Through a proxy (undici): our own ceiling on streams per HTTP/2 connection, below the server's. */
const MAX_STREAMS_PER_CONNECTION = 1000;

function proxyFromEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

function timeoutError(): Error {
  return Object.assign(new Error('The push service did not answer in time.'), { code: 'PUSHDECK_TIMEOUT' });
}

/** A request on its way: aborted by the sweeper once overdue, even before it reached a socket. */
class InFlight {
  readonly deadline: number;
  #cancel: ((reason: Error) => void) | null = null;
  #reason: Error | null = null;

  constructor(deadline: number) {
    this.deadline = deadline;
  }

  started(cancel: (reason: Error) => void): void {
    this.#cancel = cancel;
    if (this.#reason) cancel(this.#reason);
  }

  abort(reason: Error): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#cancel?.(reason);
  }
}

function describeError(error: unknown): string {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (code === 'PUSHDECK_TIMEOUT' || err.name === 'AbortError' || code === 'UND_ERR_ABORTED')
    return 'timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  // Through a proxy, undici replays a request refused by GOAWAY or REFUSED_STREAM once itself.
  if (/GOAWAY/.test(err.message ?? '')) return 'goaway';
  const http2Code = (error as { http2ErrorCode?: number }).http2ErrorCode;
  if (http2Code === 7) return 'refused stream'; // NGHTTP2_REFUSED_STREAM
  if (code === 'ERR_HTTP2_STREAM_ERROR' || http2Code !== undefined) return 'stream reset';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return (code ?? err.message ?? 'network error').slice(0, 120);
}

export function createTransport(options: TransportOptions): Transport {
  const env = options.env ?? process.env;
  const keepAliveTimeout = 30_000;
  const connect = { timeout: Math.min(options.timeoutMs, 15_000), ...(options.ca ? { ca: options.ca } : {}) };
  const useProxy = options.proxy !== undefined || proxyFromEnv(env);
  const httpProxy = options.proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  // undici is loaded only when something needs it (a proxy here, an HTTP/1.1 service below): a send to
  // HTTP/2 services alone does not load it on its thread (about 130 ms of CPU at each start).
  const proxied: Promise<Dispatcher> | null = useProxy
    ? import('undici').then(
        ({ EnvHttpProxyAgent }) =>
          new EnvHttpProxyAgent({
            connections: options.connectionsPerOrigin,
            allowH2: true,
            h2Options: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
            keepAliveTimeout,
            // The sweeper's abort is the real timeout; these keep undici from waiting longer on its own.
            headersTimeout: options.timeoutMs,
            bodyTimeout: options.timeoutMs,
            connect,
            // Given explicitly, so that the `env` passed in (not only process.env) decides.
            httpProxy: httpProxy ?? '',
            httpsProxy: options.proxy ?? env.HTTPS_PROXY ?? env.https_proxy ?? httpProxy ?? '',
            noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
            ...(options.ca ? { requestTls: { ca: options.ca } } : {}),
          }),
      )
    : null;

  // One sweeper aborts overdue requests instead of one timer (or AbortSignal) per request.
  const inFlight = new Set<InFlight>();
  const sweeper = setInterval(
    () => {
      const now = performance.now();
      for (const entry of inFlight) if (entry.deadline <= now) entry.abort(timeoutError());
    },
    Math.min(250, Math.max(20, options.timeoutMs / 4)),
  );
  sweeper.unref();

  // Per origin without a proxy: its HTTP/2 connections or its HTTP/1.1 pool, once asked which it speaks.
  const origins = new Map<string, Http1Pool | Http2Origin>();
  const probes = new Map<string, Promise<Error | null>>();
  const secureContext = secureContextFor(options.ca);
  const http1Options = {
    keepAliveTimeout,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { ...connect, ...(secureContext ? { secureContext } : {}) },
  };
  /** Which the origin speaks, asked once; a failed handshake is the answer for the requests that waited. */
  const probe = (origin: string): Promise<Error | null> => {
    let pending = probes.get(origin);
    if (!pending) {
      pending = offersHttp2(origin, http1Options).then(async (http2) => {
        // Asked again by the next request (the engine's retry rules apply to this one).
        if (http2 instanceof Error) {
          probes.delete(origin);
          return http2;
        }
        origins.set(
          origin,
          http2
            ? new Http2Origin(origin, {
                maxConnections: options.connectionsPerOrigin,
                keepAliveTimeout,
                connectTimeout: connect.timeout,
                ...(secureContext ? { secureContext } : {}),
              })
            : new Http1Pool(origin, http1Options, await import('undici')),
        );
        return null;
      });
      probes.set(origin, pending);
    }
    return pending;
  };

  return {
    send(request) {
      return new Promise<PushServiceResponse>((resolve, reject) => {
        const entry = new InFlight(performance.now() + options.timeoutMs);
        inFlight.add(entry);
        const go = (via: Http1Pool | Http2Origin | Dispatcher) => {
          const started = performance.now();
          if (via instanceof Http2Origin) {
            const cancel = via.send(request, (answer: Http2Answer) => {
              inFlight.delete(entry);
              resolve({ ...answer, latencyMs: performance.now() - started });
            });
            return entry.started(cancel);
          }
          let status = 0;
          let headers: PushServiceResponse['headers'] = {};
          let body = '';
          let release: (() => void) | null = null;
          const settle = (response: PushServiceResponse) => {
            inFlight.delete(entry);
            release?.();
            resolve(response);
          };
          const dispatchOptions: Dispatcher.DispatchOptions = {
            origin: request.origin,
            path: request.path,
            method: 'POST',
            headers: request.headers,
            body: request.body ?? undefined,
          };
          // dispatch() with a handler rather than request(): no stream, promise or AbortSignal per message.
          const handler: Dispatcher.DispatchHandler = {
            onRequestStart: (controller) =>
              entry.started((reason) => {
                if (!controller.aborted) controller.abort(reason);
              }),
            onResponseStart: (_controller, statusCode, responseHeaders) => {
              status = statusCode;
              headers = responseHeaders;
            },
            onResponseData: (_controller, chunk) => {
              // Error bodies are short; a 201 has none.
              if (body.length < BODY_LIMIT) body += chunk.toString('utf8');
            },
            onResponseEnd: () =>
              settle({
                status,
                headers,
                body: body.length > BODY_LIMIT ? body.slice(0, BODY_LIMIT) : body,
                latencyMs: performance.now() - started,
              }),
            onResponseError: (_controller, error) =>
              settle({
                status: null,
                headers: {},
                body: '',
                error: describeError(error),
                latencyMs: performance.now() - started,
              }),
          };
          if (via instanceof Http1Pool) release = via.dispatch(dispatchOptions, handler).release;
          else via.dispatch(dispatchOptions, handler);
        };
        // As when the agent was there at once: what `go` throws rejects this send.
        if (proxied) return void proxied.then(go).catch(reject);
        const known = origins.get(request.origin);
        if (known) go(known);
        else
          void probe(request.origin).then((failed) => {
            if (!failed) return go(origins.get(request.origin)!);
            inFlight.delete(entry);
            resolve({ status: null, headers: {}, body: '', error: describeError(failed), latencyMs: 0 });
          });
      });
    },
    async close() {
      clearInterval(sweeper);
      for (const entry of inFlight) entry.abort(timeoutError());
      await Promise.all([
        proxied?.then((agent) => agent.destroy()),
        ...[...origins.values()].map((pool) => pool.destroy()),
      ]);
    },
  };
}
