// Understands a push service's answer by what it means, per service: delivered (any 2xx), subscription gone
// (404/410 and the key-mismatch answers of FCM, Mozilla and Apple), message rejected, VAPID refused,
// throttled, a transient failure, or a network failure that retrying will not fix. It also says when the
// answer shows the sender's own problem, which the circuit breaker counts. The answers it is tested against,
// with their sources, are in test/fixtures/push-answers.
import type { Outcome } from '../../../shared/campaigns.ts';
import { classifyNetworkError } from './network-errors.ts';
import { serviceText } from './service-text.ts';

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

/**
 * Whose problem an answer shows when it is not the subscription's: the VAPID token or subject (auth), the
 * message as built (message: size, topic, TTL, encryption headers), the service (service: 5xx, timeouts),
 * or the way to it (network: certificate, DNS, refused). Every message to that service would get the same.
 */
export type SenderFault = 'auth' | 'message' | 'service' | 'network';

export interface Classification {
  outcome: Exclude<Outcome, 'not-sent'>;
  /** The service's reason, free of control characters and escapes (safe to print, store and export). */
  reason: string;
  /** The service's Retry-After, in ms, when it sent one. */
  retryAfterMs: number | null;
  senderFault: SenderFault | null;
}

const EXCERPT_CHARS = 300;

/** The start of a body for display: one line, printable. */
export function bodyExcerpt(body: string): string {
  const flat = serviceText(body).replace(/\s+/g, ' ').trim();
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

/** An HTML error page (FCM's UnauthorizedRegistration) says what it is in its title. */
function htmlTitle(body: string): string | undefined {
  return /<title>([^<]{1,200})<\/title>/i.exec(body)?.[1]?.trim();
}

// FCM: "the key in the authorization header does not correspond to the sender ID …" (web-push#600) and
// "the VAPID credentials … do not correspond to the credentials used to create the subscriptions" (#941).
const FCM_MISMATCH = /\bdo(?:es)? not correspond\b/i;
// autopush-rs VapidError::KeyMismatch; errno 109 alone is any VAPID error (autoendpoint/src/error.rs).
const MOZILLA_MISMATCH = /VAPID public key mismatch/i;
// Answers that blame the VAPID token or subject rather than the subscription.
const AUTH_REASONS =
  /^(?:BadJwtToken|UnauthorizedRegistration)$|invalid JWT|Invalid VAPID|did not validate|Missing VAPID|Improperly formatted sub|Unparsable sub|Empty sub|Missing sub/i;
// Answers that blame the message as built: every message of the campaign would get them.
const MESSAGE_REASONS =
  /^(?:BadWebPushTopic|BadTopic|BadTtl|BadUrgency|BadExpirationDate|PayloadTooLarge|BadContentEncoding)$|Ttl value conflicts|Content-Encoding|Crypto-Key|Encryption header/i;
// autopush errnos of the request's headers: 101 crypto keys, 110 invalid crypto, 111 missing header,
// 112 TTL, 113 Topic, 114 TTL below 0, 104 payload too large (errors.html).
const MOZILLA_MESSAGE_ERRNOS = new Set([101, 104, 110, 111, 112, 113, 114]);

export function classifyResponse(response: PushServiceResponse, now: number = Date.now()): Classification {
  const { status } = response;
  if (status === null) return classifyNetworkError(response.error ?? 'no answer');
  // RFC 8030 §5: any 2xx means the service took the message, whatever its body (autopush-rs#800 answered
  // 200 with no body). Never retried: a retry would be a duplicate.
  if (status >= 200 && status < 300) {
    return { outcome: 'delivered', reason: 'delivered', retryAfterMs: null, senderFault: null };
  }
  const parsed = parseBody(response.body);
  const wnsReason = header(response, 'x-wns-error-description') || header(response, 'x-wns-status');
  const raw = parsed.reason ?? htmlTitle(response.body) ?? wnsReason ?? response.body;
  const text = serviceText(raw).replace(/\s+/g, ' ').trim().slice(0, 200);
  const reason = (fallback: string) => text || fallback;
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), now);
  const verdict = (outcome: Classification['outcome'], why: string, fault: SenderFault | null = null) => ({
    outcome,
    reason: why,
    retryAfterMs: outcome === 'throttled' || outcome === 'transient' ? retryAfterMs : null,
    senderFault: fault,
  });

  // The subscription was made with another VAPID key: it can never receive from this key again.
  if (status >= 400 && status < 500) {
    if (FCM_MISMATCH.test(response.body)) return verdict('expired', `key mismatch: ${text}`);
    if (parsed.reason === 'VapidPkHashMismatch')
      return verdict('expired', 'key mismatch: VapidPkHashMismatch');
    if (parsed.errno === 109 && MOZILLA_MISMATCH.test(parsed.reason ?? '')) {
      return verdict('expired', `key mismatch: errno 109 ${text}`);
    }
  }
  if (status === 404 || status === 410)
    return verdict('expired', reason(status === 410 ? 'Gone' : 'Not Found'));
  const authReason = AUTH_REASONS.test(text) || (parsed.errno === 109 && status === 401);
  if (status === 401 || status === 403 || (status === 400 && authReason)) {
    return verdict('auth', reason(status === 401 ? 'Unauthorized' : 'Forbidden'), authReason ? 'auth' : null);
  }
  // WNS answers 406 Not Acceptable when the sender is throttled.
  if (status === 429 || status === 406) return verdict('throttled', reason(`HTTP ${status}`));
  if (status === 503) return verdict('throttled', reason('Service Unavailable'), 'service');
  if (status >= 500) return verdict('transient', reason(`HTTP ${status}`), 'service');
  const messageFault =
    status === 413 ||
    MESSAGE_REASONS.test(text) ||
    (parsed.errno !== undefined && MOZILLA_MESSAGE_ERRNOS.has(parsed.errno));
  return verdict(
    'rejected',
    reason(status === 413 ? 'Payload Too Large' : `HTTP ${status}`),
    messageFault ? 'message' : null,
  );
}
