// Understands a push service's answer: delivered, subscription gone (expired, including the key-mismatch
// answers of FCM, Mozilla and Apple), message rejected, VAPID refused, throttled, or a transient failure.
import type { Outcome } from '../../../shared/campaigns.ts';

export interface PushServiceResponse {
  /** null when no answer arrived (timeout, reset, refused). */
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  /** The start of the body, as text. */
  body: string;
  /** Why no answer arrived: 'timeout', 'connection reset', … */
  error?: string;
  latencyMs: number;
}

export interface Classification {
  outcome: Exclude<Outcome, 'not-sent'>;
  reason: string;
  /** The service's Retry-After, in ms, when it sent one. */
  retryAfterMs: number | null;
}

const EXCERPT_CHARS = 300;

export function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

function header(response: PushServiceResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

interface ServiceError {
  reason?: string;
  errno?: number;
}

function parseBody(body: string): ServiceError {
  // Most answers have no body: skip JSON.parse and its exception.
  if (!body.startsWith('{')) return {};
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const nested = json.error as Record<string, unknown> | undefined;
    const reason = [json.reason, json.message, nested?.message, nested?.status, json.error].find(
      (value) => typeof value === 'string' && value !== '',
    ) as string | undefined;
    return { reason, errno: typeof json.errno === 'number' ? json.errno : undefined };
  } catch {
    return {};
  }
}

export function classifyResponse(response: PushServiceResponse, now: number = Date.now()): Classification {
  const { status } = response;
  if (status === null) {
    return { outcome: 'transient', reason: response.error ?? 'no answer', retryAfterMs: null };
  }
  const parsed = parseBody(response.body);
  const wnsReason = header(response, 'x-wns-error-description') ?? header(response, 'x-wns-status');
  const text = parsed.reason ?? wnsReason ?? bodyExcerpt(response.body);
  const reason = (fallback: string) => (text ? text.slice(0, 200) : fallback);
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), now);

  if (status >= 200 && status < 300) return { outcome: 'delivered', reason: 'delivered', retryAfterMs: null };
  if (status === 404 || status === 410) {
    return { outcome: 'expired', reason: reason(status === 410 ? 'Gone' : 'Not Found'), retryAfterMs: null };
  }
  // The subscription was made with another VAPID key: it can never receive from this key again.
  if (status === 403 && /do not correspond/i.test(response.body)) {
    return { outcome: 'expired', reason: `key mismatch: ${reason('')}`.trim(), retryAfterMs: null };
  }
  if (status === 403 && /VapidPkHashMismatch/.test(response.body)) {
    return { outcome: 'expired', reason: 'key mismatch: VapidPkHashMismatch', retryAfterMs: null };
  }
  if (status === 401 && parsed.errno === 109) {
    return { outcome: 'expired', reason: `key mismatch: errno 109 ${reason('')}`.trim(), retryAfterMs: null };
  }
  if (status === 401 || status === 403) {
    return {
      outcome: 'auth',
      reason: reason(status === 401 ? 'Unauthorized' : 'Forbidden'),
      retryAfterMs: null,
    };
  }
  // WNS answers 406 Not Acceptable when the sender is throttled.
  if (status === 429 || status === 503 || status === 406) {
    return { outcome: 'throttled', reason: reason(`HTTP ${status}`), retryAfterMs };
  }
  if (status >= 500) return { outcome: 'transient', reason: reason(`HTTP ${status}`), retryAfterMs };
  return {
    outcome: 'rejected',
    reason: reason(status === 413 ? 'Payload Too Large' : `HTTP ${status}`),
    retryAfterMs: null,
  };
}
