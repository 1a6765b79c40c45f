import { describe, expect, it } from 'vitest';
import {
  encryptPayload,
  MAX_PLAINTEXT_BYTES,
  subscriptionKeys,
} from '../../../../src/main/core/push/encryption.ts';
import { decryptPushBody, generateUserAgentKeys } from '../../../support/push-service/decrypt.ts';

const b = (text: string) => Buffer.from(text, 'base64url');

// RFC 8291 Section 5 and Appendix A.
const RFC = {
  plaintext: 'When I grow up, I want to be a watermelon',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  asPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  body:
    'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml' +
    'mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT' +
    'pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

describe('RFC 8291 aes128gcm encryption', () => {
  it('reproduces the RFC 8291 Section 5 body byte for byte from its fixed salt and sender key', () => {
    const body = encryptPayload(Buffer.from(RFC.plaintext), subscriptionKeys(RFC.uaPublic, RFC.authSecret), {
      salt: b(RFC.salt),
      senderPrivateKey: b(RFC.asPrivate),
    });
    expect(body.toString('base64url')).toBe(RFC.body);
  });

  it('uses a fresh sender key and salt for every message, which an independent decrypter opens', async () => {
    const ua = await generateUserAgentKeys();
    const keys = subscriptionKeys(
      Buffer.from(ua.publicKey).toString('base64url'),
      Buffer.from(ua.auth).toString('base64url'),
    );
    const one = encryptPayload(Buffer.from('same text'), keys);
    const two = encryptPayload(Buffer.from('same text'), keys);
    expect(one.subarray(0, 16).equals(two.subarray(0, 16))).toBe(false);
    expect(one.subarray(21, 86).equals(two.subarray(21, 86))).toBe(false);
    expect(one.readUInt32BE(16)).toBe(4096);
    expect(one[20]).toBe(65);
    expect(Buffer.from(await decryptPushBody(new Uint8Array(one), ua)).toString()).toBe('same text');
    expect(Buffer.from(await decryptPushBody(new Uint8Array(two), ua)).toString()).toBe('same text');
  });

  it('draws a new sender key for each of many messages, also right after refusing an off-curve key', async () => {
    const ua = await generateUserAgentKeys();
    const keys = subscriptionKeys(
      Buffer.from(ua.publicKey).toString('base64url'),
      Buffer.from(ua.auth).toString('base64url'),
    );
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    const senderKeys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      if (i === 100) {
        expect(() => encryptPayload(Buffer.from('x'), { p256dh: offCurve, auth: keys.auth })).toThrow(
          expect.objectContaining({ code: 'SUBSCRIPTION_INVALID_KEY' }),
        );
      }
      const body = encryptPayload(Buffer.from(`message ${i}`), keys);
      senderKeys.add(body.subarray(21, 86).toString('hex'));
      if (i % 50 === 0 || i === 100) {
        expect(Buffer.from(await decryptPushBody(new Uint8Array(body), ua)).toString()).toBe(`message ${i}`);
      }
    }
    expect(senderKeys.size).toBe(200);
  });

  it('fits 3993 bytes of plaintext in one 4096-byte record and refuses 3994 before encrypting', async () => {
    const ua = await generateUserAgentKeys();
    const keys = subscriptionKeys(
      Buffer.from(ua.publicKey).toString('base64url'),
      Buffer.from(ua.auth).toString('base64url'),
    );
    const body = encryptPayload(Buffer.alloc(MAX_PLAINTEXT_BYTES, 0x61), keys);
    expect(body.length).toBe(4096);
    expect((await decryptPushBody(new Uint8Array(body), ua)).length).toBe(3993);
    expect(() => encryptPayload(Buffer.alloc(MAX_PLAINTEXT_BYTES + 1), keys)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
    );
  });

  it('refuses subscription keys that are not a P-256 point or a 16-byte secret', () => {
    expect(() => subscriptionKeys('AAAA', RFC.authSecret)).toThrow(
      expect.objectContaining({ code: 'SUBSCRIPTION_INVALID_KEY' }),
    );
    expect(() => subscriptionKeys(RFC.uaPublic, 'AAAA')).toThrow(
      expect.objectContaining({ code: 'SUBSCRIPTION_INVALID_AUTH' }),
    );
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    expect(() => encryptPayload(Buffer.from('x'), { p256dh: offCurve, auth: b(RFC.authSecret) })).toThrow(
      expect.objectContaining({ code: 'SUBSCRIPTION_INVALID_KEY' }),
    );
  });
});
