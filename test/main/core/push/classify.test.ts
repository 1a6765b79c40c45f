import { describe, expect, it } from 'vitest';
import {
  bodyExcerpt,
  classifyResponse,
  parseRetryAfter,
  type PushServiceResponse,
} from '../../../../src/main/core/push/classify.ts';
import { retryDelay } from '../../../../src/main/core/push/retry-policy.ts';

const answer = (
  status: number | null,
  body = '',
  headers: Record<string, string> = {},
  error?: string,
): PushServiceResponse => ({
  status,
  body,
  headers,
  error,
  latencyMs: 5,
});

describe('classifying push service answers', () => {
  it.each([
    [201, '', 'delivered'],
    [202, '', 'delivered'],
    [404, '', 'expired'],
    [410, '{"reason":"Unregistered"}', 'expired'],
    [
      403,
      'the VAPID credentials in the authorization header do not correspond to the credentials used to create the subscriptions.',
      'expired',
    ],
    [401, '{"code":401,"errno":109,"error":"Unauthorized","message":"VAPID public key mismatch"}', 'expired'],
    [401, '{"code":401,"errno":109,"error":"Unauthorized","message":"Request did not validate"}', 'auth'],
    [403, '{"reason":"VapidPkHashMismatch"}', 'expired'],
    [403, '{"reason":"BadJwtToken"}', 'auth'],
    [401, '{"code":401,"errno":102,"message":"bad jwt"}', 'auth'],
    [400, '{"reason":"BadTopic"}', 'rejected'],
    [413, '', 'rejected'],
    [429, '', 'throttled'],
    [503, '', 'throttled'],
    [406, '', 'throttled'],
    [500, 'oops', 'transient'],
    [502, '', 'transient'],
  ])('%i %s → %s', (status, body, outcome) => {
    expect(classifyResponse(answer(status, body)).outcome).toBe(outcome);
  });

  it('keeps the service’s reason, and treats no answer as transient', () => {
    expect(classifyResponse(answer(410, '{"reason":"Unregistered"}')).reason).toBe('Unregistered');
    expect(classifyResponse(answer(406, '', { 'x-wns-status': 'channelthrottled' })).reason).toBe(
      'channelthrottled',
    );
    expect(classifyResponse(answer(null, '', {}, 'timeout'))).toMatchObject({
      outcome: 'transient',
      reason: 'timeout',
      senderFault: 'service',
    });
  });

  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', /not trusted \(SELF_SIGNED_CERT_IN_CHAIN\).*NODE_EXTRA_CA_CERTS/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not trusted.*NODE_EXTRA_CA_CERTS/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /not trusted.*NODE_EXTRA_CA_CERTS/],
    ['CERT_HAS_EXPIRED', /not valid now.*clock/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /for another host/],
    ['host not found', /host not found \(DNS\).*DNS/],
    ['connection refused', /connection refused.*firewall/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /does not speak TLS.*scheme and port/],
    ['EHOSTUNREACH', /no route to the push service.*network/],
  ])('classes "%s" as unreachable, not retried, with what to check', (error, message) => {
    const verdict = classifyResponse(answer(null, '', {}, error));
    expect(verdict).toMatchObject({ outcome: 'unreachable', senderFault: 'network' });
    expect(verdict.reason).toMatch(message);
    expect(retryDelay(verdict, 1, { maxAttempts: 5, retryBaseMs: 10, retryAfterCapMs: 10 })).toBeNull();
  });

  it('strips control characters and terminal escapes from what a service says', () => {
    const hostile = '{"reason":"Bad\\u001b[2J\\u001b]0;owned\\u0007Jwt\\u0000Token\\r\\nnext\\u202eline"}';
    const verdict = classifyResponse(answer(403, hostile));
    expect(verdict.reason).toBe('BadJwtToken nextline');
    const wns = classifyResponse(
      answer(400, '', { 'x-wns-error-description': 'Ttl\u001b[31m value\u0085 bad' }),
    );
    expect(wns.reason).toBe('Ttl value bad');
    expect(bodyExcerpt('line one\r\n\u001b[1mtwo\u009b2J\u0007')).toBe('line one two');
    expect(classifyResponse(answer(null, '', {}, 'EPROTO\u001b[2J')).reason).toBe('EPROTO');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(classifyResponse(answer(429, '', { 'retry-after': '3' }), now).retryAfterMs).toBe(3000);
  });
});

describe('retry policy', () => {
  const policy = { maxAttempts: 4, retryBaseMs: 1000, retryAfterCapMs: 60_000 };

  it('backs off exponentially with jitter for transient failures, and gives up after the last attempt', () => {
    const transient = classifyResponse(answer(500));
    expect(retryDelay(transient, 1, policy, () => 0)).toBe(500);
    expect(retryDelay(transient, 1, policy, () => 0.999)).toBeCloseTo(1499, -1);
    expect(retryDelay(transient, 3, policy, () => 0.5)).toBe(4000);
    expect(retryDelay(transient, 4, policy, () => 0.5)).toBeNull();
  });

  it('honours Retry-After up to the cap, and never retries final answers', () => {
    expect(retryDelay(classifyResponse(answer(429, '', { 'retry-after': '5' })), 1, policy)).toBe(5000);
    expect(retryDelay(classifyResponse(answer(503, '', { 'retry-after': '3600' })), 1, policy)).toBe(60_000);
    for (const status of [201, 400, 404, 410, 413, 403])
      expect(retryDelay(classifyResponse(answer(status)), 1, policy)).toBeNull();
  });
});
