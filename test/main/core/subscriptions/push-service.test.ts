import { describe, expect, it } from 'vitest';
import { pushServiceOf } from '../../../../src/main/core/subscriptions/push-service.ts';

describe('pushServiceOf', () => {
  it('derives the push service from the endpoint host', () => {
    expect(pushServiceOf('https://fcm.googleapis.com/fcm/send/abc')).toBe('fcm');
    expect(pushServiceOf('https://updates.push.services.mozilla.com/wpush/v2/abc')).toBe('mozilla');
    expect(pushServiceOf('https://web.push.apple.com/QGx')).toBe('apple');
    expect(pushServiceOf('https://wns2-par02p.notify.windows.com/w/?token=x')).toBe('wns');
    expect(pushServiceOf('https://push.example.com/x')).toBe('other');
    expect(pushServiceOf('https://evil.com/fcm.googleapis.com')).toBe('other');
    expect(pushServiceOf('https://notfcm.googleapis.com.evil.com/')).toBe('other');
    expect(pushServiceOf('not a url')).toBe('other');
  });
});
