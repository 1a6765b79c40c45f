// RFC 8291 message encryption (aes128gcm, RFC 8188) for one subscription: a fresh sender ECDH key pair and
// salt per message, one record. Built on node:crypto directly: HMAC-based HKDF is cheaper than hkdfSync for
// these 32-byte inputs, and the sender needs the size check before anything leaves (web-push has none).
import crypto from 'node:crypto';
import { PushdeckError } from '../../../shared/errors.ts';

/** RFC 8291 §4: one 4096-byte record = 86-byte header + plaintext + 0x02 delimiter + 16-byte tag. */
export const MAX_PLAINTEXT_BYTES = 3993;
/** Firefox on Android (autopush over FCM) drops payloads above about this. */
export const WARN_PLAINTEXT_BYTES = 3070;
const RECORD_SIZE = 4096;

const KEY_INFO = Buffer.from('WebPush: info\0', 'latin1');
const CEK_INFO = Buffer.from('Content-Encoding: aes128gcm\0\x01', 'latin1');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0\x01', 'latin1');
const ONE = Buffer.from([1]);
const DELIMITER = Buffer.from([2]);

export interface SubscriptionKeys {
  /** The user agent's public key: 65 bytes, uncompressed P-256 point. */
  p256dh: Buffer;
  /** The 16-byte authentication secret. */
  auth: Buffer;
}

/** Fixed inputs, for reproducing the RFC 8291 test vector; never set them when sending. */
export interface EncryptionFixture {
  salt: Buffer;
  senderPrivateKey: Buffer;
}

// Salts come from a pool refilled 4 KiB at a time: one randomFillSync call per 256 messages, not one each.
const saltPool = Buffer.alloc(4096);
let saltOffset = saltPool.length;

function freshSalt(): Buffer {
  if (saltOffset === saltPool.length) {
    crypto.randomFillSync(saltPool);
    saltOffset = 0;
  }
  const salt = Buffer.from(saltPool.subarray(saltOffset, saltOffset + 16));
  saltOffset += 16;
  return salt;
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  for (const part of data) mac.update(part);
  return mac.digest();
}

/** Decodes a subscription's base64url keys and checks their sizes (not the curve: ECDH checks that). */
export function subscriptionKeys(p256dh: string, auth: string): SubscriptionKeys {
  const publicKey = Buffer.from(p256dh, 'base64url');
  const secret = Buffer.from(auth, 'base64url');
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) {
    throw new PushdeckError(
      'SUBSCRIPTION_INVALID_KEY',
      'The subscription’s p256dh key is not a P-256 point.',
    );
  }
  if (secret.length !== 16) {
    throw new PushdeckError('SUBSCRIPTION_INVALID_AUTH', 'The subscription’s auth secret is not 16 bytes.');
  }
  return { p256dh: publicKey, auth: secret };
}

/** Refuses what no push service accepts, before anything is sent. */
export function checkPayloadSize(plaintext: Buffer): void {
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new PushdeckError(
      'PAYLOAD_TOO_LARGE',
      `The payload is ${plaintext.length} bytes; a push carries at most ${MAX_PLAINTEXT_BYTES} (RFC 8291). Shorten it.`,
    );
  }
}

/** The aes128gcm body for this subscription: header (salt, rs, sender key) then one encrypted record. */
export function encryptPayload(
  plaintext: Buffer,
  keys: SubscriptionKeys,
  fixture?: EncryptionFixture,
): Buffer {
  checkPayloadSize(plaintext);
  const ecdh = crypto.createECDH('prime256v1');
  // generateKeys() returns the public key: asking for it again costs a point conversion per message.
  let senderPublic: Buffer;
  if (fixture) {
    ecdh.setPrivateKey(fixture.senderPrivateKey);
    senderPublic = ecdh.getPublicKey();
  } else senderPublic = ecdh.generateKeys();
  let shared: Buffer;
  try {
    shared = ecdh.computeSecret(keys.p256dh);
  } catch {
    throw new PushdeckError(
      'SUBSCRIPTION_INVALID_KEY',
      'The subscription’s p256dh key is not on the P-256 curve.',
    );
  }
  const salt = fixture?.salt ?? freshSalt();

  // RFC 8291 §3.4: HKDF(auth, shared, "WebPush: info" ‖ ua_public ‖ as_public), then RFC 8188 §2.2–2.3.
  const prkKey = hmac(keys.auth, shared);
  const ikm = hmac(prkKey, KEY_INFO, keys.p256dh, senderPublic, ONE);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, CEK_INFO).subarray(0, 16);
  const nonce = hmac(prk, NONCE_INFO).subarray(0, 12);

  const header = Buffer.allocUnsafe(86);
  salt.copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header[20] = 65;
  senderPublic.copy(header, 21);

  const cipher = crypto.createCipheriv('aes-128-gcm', cek, nonce);
  const first = cipher.update(plaintext);
  const last = cipher.update(DELIMITER);
  cipher.final();
  return Buffer.concat([header, first, last, cipher.getAuthTag()]);
}
