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
const HEADER_BYTES = 86;
const TAG_BYTES = 16;

const KEY_INFO = Buffer.from('WebPush: info\0', 'latin1');
const CEK_INFO = Buffer.from('Content-Encoding: aes128gcm\0\x01', 'latin1');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0\x01', 'latin1');
const ONE = Buffer.from([1]);

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

/** Writes a fresh 16-byte salt at `target[0..16)`. */
function writeFreshSalt(target: Buffer): void {
  if (saltOffset === saltPool.length) {
    crypto.randomFillSync(saltPool);
    saltOffset = 0;
  }
  saltPool.copy(target, 0, saltOffset, saltOffset + 16);
  saltOffset += 16;
}

// One sender ECDH object per thread: each generateKeys() draws a new private key and returns its public key
// (nodejs.org/api/crypto.html, ecdh.generateKeys; unlike diffieHellman.generateKeys, which keeps a key once
// set), so every message still gets its own key pair (RFC 8291 §3.1) without setting up an EC key each time.
let sender: crypto.ECDH | null = null;
let previousSenderPublic: Buffer | null = null;

function freshSenderKey(): { ecdh: crypto.ECDH; senderPublic: Buffer } {
  sender ??= crypto.createECDH('prime256v1');
  const senderPublic = sender.generateKeys();
  // Never two messages under one sender key, whatever a future Node does with generateKeys on a used object.
  if (previousSenderPublic?.equals(senderPublic)) {
    sender = crypto.createECDH('prime256v1');
    return freshSenderKey();
  }
  previousSenderPublic = senderPublic;
  return { ecdh: sender, senderPublic };
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
  let ecdh: crypto.ECDH;
  let senderPublic: Buffer;
  if (fixture) {
    ecdh = crypto.createECDH('prime256v1');
    ecdh.setPrivateKey(fixture.senderPrivateKey);
    senderPublic = ecdh.getPublicKey();
  } else ({ ecdh, senderPublic } = freshSenderKey());
  let shared: Buffer;
  try {
    shared = ecdh.computeSecret(keys.p256dh);
  } catch {
    throw new PushdeckError(
      'SUBSCRIPTION_INVALID_KEY',
      'The subscription’s p256dh key is not on the P-256 curve.',
    );
  }

  // The whole body in one allocation: header (salt, rs, idlen, sender key), then the record, written in place.
  const recordEnd = HEADER_BYTES + plaintext.length + 1;
  const body = Buffer.allocUnsafe(recordEnd + TAG_BYTES);
  if (fixture) fixture.salt.copy(body, 0);
  else writeFreshSalt(body);
  const salt = body.subarray(0, 16);
  body.writeUInt32BE(RECORD_SIZE, 16);
  body[20] = 65;
  senderPublic.copy(body, 21);

  // RFC 8291 §3.4: HKDF(auth, shared, "WebPush: info" ‖ ua_public ‖ as_public), then RFC 8188 §2.2–2.3.
  const prkKey = hmac(keys.auth, shared);
  const ikm = hmac(prkKey, KEY_INFO, keys.p256dh, senderPublic, ONE);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, CEK_INFO).subarray(0, 16);
  const nonce = hmac(prk, NONCE_INFO).subarray(0, 12);

  // RFC 8188 §2: the last (only) record's plaintext ends with the delimiter 0x02; one update encrypts both.
  const record = body.subarray(HEADER_BYTES, recordEnd);
  plaintext.copy(record, 0);
  record[plaintext.length] = 2;
  const cipher = crypto.createCipheriv('aes-128-gcm', cek, nonce);
  cipher.update(record).copy(record, 0);
  cipher.final();
  cipher.getAuthTag().copy(body, recordEnd);
  return body;
}
