import { describe, expect, it } from 'vitest';
import {
  buildPushRequest,
  splitEndpoint,
  validatePushOptions,
} from '../../../../src/main/core/push/request.ts';

describe('push requests (RFC 8030)', () => {
  it('keeps the endpoint byte for byte, WNS query string included, and takes the origin with its port', () => {
    const wns = 'https://db5p.notify.windows.com/w/?token=BQYAAAB%2fabc%3d%3d&x=1';
    expect(splitEndpoint(wns)).toEqual({
      origin: 'https://db5p.notify.windows.com',
      path: '/w/?token=BQYAAAB%2fabc%3d%3d&x=1',
      secure: true,
    });
    expect(splitEndpoint('http://127.0.0.1:8999/push/a%2Fb').origin).toBe('http://127.0.0.1:8999');
    expect(splitEndpoint('https://fcm.googleapis.com:443/fcm/send/x').origin).toBe(
      'https://fcm.googleapis.com',
    );
    expect(() => splitEndpoint('ftp://example.com/x')).toThrow(
      expect.objectContaining({ code: 'ENDPOINT_INVALID' }),
    );
  });

  it('always sends TTL, adds Urgency and Topic when set, and Content-Encoding only with a body', () => {
    const withBody = buildPushRequest('https://push.example/x', Buffer.alloc(100), 'vapid t=a.b.c, k=K', {
      ttl: 0,
      urgency: 'low',
      topic: 'news',
    });
    expect(withBody.headers).toMatchObject({
      ttl: '0',
      urgency: 'low',
      topic: 'news',
      'content-encoding': 'aes128gcm',
      'content-length': '100',
      authorization: 'vapid t=a.b.c, k=K',
    });
    const empty = buildPushRequest('https://push.example/x', null, 'vapid t=a.b.c, k=K', { ttl: 60 });
    expect(empty.headers).toEqual({ ttl: '60', authorization: 'vapid t=a.b.c, k=K', 'content-length': '0' });
  });

  it('tells WNS the cache policy its TTL means, and no other service', () => {
    const wns = 'https://wns2-par02p.notify.windows.com/w/?token=AQE%3d';
    const headers = (endpoint: string, ttl: number) =>
      buildPushRequest(endpoint, null, 'vapid t=a.b.c, k=K', { ttl }).headers;
    expect(headers(wns, 0)['x-wns-cache-policy']).toBe('no-cache');
    expect(headers(wns, 86_400)['x-wns-cache-policy']).toBe('cache');
    expect(headers('https://fcm.googleapis.com/fcm/send/x', 0)).not.toHaveProperty('x-wns-cache-policy');
    expect(headers('https://notify.windows.com.example/x', 0)).not.toHaveProperty('x-wns-cache-policy');
  });

  it('refuses TTLs outside 0..2419200, unknown urgencies and topics push services refuse', () => {
    expect(() => validatePushOptions({ ttl: 2_419_201 })).toThrow(
      expect.objectContaining({ code: 'TTL_INVALID' }),
    );
    expect(() => validatePushOptions({ ttl: -1 })).toThrow(expect.objectContaining({ code: 'TTL_INVALID' }));
    expect(() => validatePushOptions({ ttl: 1.5 })).toThrow(expect.objectContaining({ code: 'TTL_INVALID' }));
    expect(() => validatePushOptions({ ttl: 2_419_200, urgency: 'urgent' as never })).toThrow(
      expect.objectContaining({ code: 'URGENCY_INVALID' }),
    );
    for (const topic of ['a'.repeat(33), 'has space', 'plus+', 'abcde', 'a']) {
      expect(() => validatePushOptions({ ttl: 60, topic }), topic).toThrow(
        expect.objectContaining({ code: 'TOPIC_INVALID' }),
      );
    }
    for (const topic of ['ab', 'abcd', 'a'.repeat(32), 'Az09-_'])
      expect(() => validatePushOptions({ ttl: 60, topic })).not.toThrow();
  });
});
