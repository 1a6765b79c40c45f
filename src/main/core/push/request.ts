// Builds the RFC 8030 request for one push: the endpoint byte for byte, TTL always, Urgency, Topic,
// Content-Encoding only when there is a body, and the cache policy WNS wants beside the TTL.
import { PushdeckError } from '../../../shared/errors.ts';
import { MAX_TTL_SECONDS, topicProblem, urgencies, type Urgency } from '../../../shared/push-rules.ts';

export interface PushHeadersOptions {
  ttl: number;
  urgency?: Urgency;
  topic?: string;
}

export interface PushRequest {
  /** The subscription's endpoint exactly as stored (query string included). */
  endpoint: string;
  /** scheme://host[:port], the JWT audience and the connection pool key. */
  origin: string;
  /** Path and query, untouched. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** Checks TTL, Urgency and Topic the way push services do, with messages a person can act on. */
export function validatePushOptions(options: PushHeadersOptions): void {
  if (!Number.isInteger(options.ttl) || options.ttl < 0 || options.ttl > MAX_TTL_SECONDS) {
    throw new PushdeckError(
      'TTL_INVALID',
      `TTL must be a whole number of seconds from 0 to ${MAX_TTL_SECONDS} (28 days); FCM refuses more.`,
    );
  }
  if (options.urgency !== undefined && !urgencies.includes(options.urgency)) {
    throw new PushdeckError('URGENCY_INVALID', `Urgency must be one of ${urgencies.join(', ')}.`);
  }
  if (options.topic !== undefined) {
    const problem = topicProblem(options.topic);
    if (problem) throw new PushdeckError('TOPIC_INVALID', problem);
  }
}

/**
 * Splits an endpoint into origin and path without normalising it: WHATWG URL parsing would re-encode the
 * query string, and WNS signs its query. Only the scheme and authority are read.
 */
export function splitEndpoint(endpoint: string): { origin: string; path: string; secure: boolean } {
  const match = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(endpoint);
  if (!match) {
    throw new PushdeckError('ENDPOINT_INVALID', `Not an http(s) push endpoint: ${endpoint.slice(0, 80)}`);
  }
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.toLowerCase();
  const rest = match[3] ?? '';
  const defaultPort = scheme === 'https' ? ':443' : ':80';
  const host = authority.endsWith(defaultPort) ? authority.slice(0, -defaultPort.length) : authority;
  return { origin: `${scheme}://${host}`, path: rest === '' ? '/' : rest, secure: scheme === 'https' };
}

function isWnsOrigin(origin: string): boolean {
  const host = origin.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
  return host.endsWith('.notify.windows.com');
}

export function buildPushRequest(
  endpoint: string,
  body: Buffer | null,
  authorization: string,
  options: PushHeadersOptions,
): PushRequest {
  const { origin, path } = splitEndpoint(endpoint);
  const headers: Record<string, string> = {
    ttl: String(options.ttl),
    authorization,
  };
  if (options.urgency) headers.urgency = options.urgency;
  if (options.topic) headers.topic = options.topic;
  // WNS refuses a TTL that contradicts its default cache policy ("Ttl value conflicts with
  // X-WNS-Cache-Policy", web-push-libs/pywebpush#162): say which one is meant.
  if (isWnsOrigin(origin)) headers['x-wns-cache-policy'] = options.ttl === 0 ? 'no-cache' : 'cache';
  if (body) {
    headers['content-encoding'] = 'aes128gcm';
    headers['content-type'] = 'application/octet-stream';
  }
  headers['content-length'] = String(body ? body.length : 0);
  return { endpoint, origin, path, headers, body };
}
