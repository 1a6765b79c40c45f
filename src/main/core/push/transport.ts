// Sends push requests: keep-alive connection pools per push-service origin (undici; HTTP/2 when the service
// offers it through ALPN), a per-request timeout that aborts the request, and HTTPS_PROXY / NO_PROXY.
// http:// endpoints go over plain http (local services), https:// over TLS.
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { PushServiceResponse } from './classify.ts';
import type { PushRequest } from './request.ts';

export interface TransportOptions {
  /** Connections kept per origin. */
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

function proxyFromEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

function describeError(error: unknown): string {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (err.name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return (code ?? err.message ?? 'network error').slice(0, 120);
}

export function createTransport(options: TransportOptions): Transport {
  const env = options.env ?? process.env;
  const agentOptions = {
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    // The abort below is the real timeout; these keep undici from waiting longer on its own.
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: Math.min(options.timeoutMs, 15_000), ...(options.ca ? { ca: options.ca } : {}) },
  };
  const useProxy = options.proxy !== undefined || proxyFromEnv(env);
  const httpProxy = options.proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const dispatcher: Dispatcher = useProxy
    ? new EnvHttpProxyAgent({
        ...agentOptions,
        // Given explicitly, so that the `env` passed in (not only process.env) decides.
        httpProxy: httpProxy ?? '',
        httpsProxy: options.proxy ?? env.HTTPS_PROXY ?? env.https_proxy ?? httpProxy ?? '',
        noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
        ...(options.ca ? { requestTls: { ca: options.ca } } : {}),
      })
    : new Agent(agentOptions);

  // One sweeper aborts overdue requests instead of one timer per request.
  const inFlight = new Set<{ deadline: number; controller: AbortController }>();
  const sweeper = setInterval(
    () => {
      const now = performance.now();
      for (const entry of inFlight) if (entry.deadline <= now) entry.controller.abort();
    },
    Math.min(250, Math.max(20, options.timeoutMs / 4)),
  );
  sweeper.unref();

  return {
    async send(request) {
      const started = performance.now();
      const entry = { deadline: started + options.timeoutMs, controller: new AbortController() };
      inFlight.add(entry);
      try {
        const response = await dispatcher.request({
          origin: request.origin,
          path: request.path,
          method: 'POST',
          headers: request.headers,
          body: request.body ?? undefined,
          signal: entry.controller.signal,
        });
        // Error bodies are short; a 201 has none.
        const body = await response.body.text();
        return {
          status: response.statusCode,
          headers: response.headers,
          body: body.length > BODY_LIMIT ? body.slice(0, BODY_LIMIT) : body,
          latencyMs: performance.now() - started,
        };
      } catch (error) {
        return {
          status: null,
          headers: {},
          body: '',
          error: describeError(error),
          latencyMs: performance.now() - started,
        };
      } finally {
        inFlight.delete(entry);
      }
    },
    async close() {
      clearInterval(sweeper);
      for (const entry of inFlight) entry.controller.abort();
      await dispatcher.destroy();
    },
  };
}
