// VAPID key pairs: generation, validation with distinct error codes, and fingerprints (RFC 8292 §3.2: the
// public key is the uncompressed P-256 point, base64url).
import crypto from 'node:crypto';
import { PushdeckError } from '../../../shared/errors.ts';

export interface VapidKeyPair {
  /** base64url, 65 bytes uncompressed (0x04 ‖ X ‖ Y). */
  publicKey: string;
  /** raw 32-byte private scalar. */
  privateKey: Buffer;
}

/**
 * The private scalar as the 32 bytes that JWK's `d` and RFC 8292 keys are. Node's ECDH.getPrivateKey()
 * drops leading zero bytes (about one key in 256 comes out 31 bytes long), and so do some other tools'
 * exports: the same scalar, left-padded with zeros. Undefined for a length no P-256 key has.
 */
export function privateScalar(bytes: Buffer): Buffer | undefined {
  if (bytes.length === 32) return bytes;
  if (bytes.length < 29 || bytes.length > 32) return undefined;
  return Buffer.concat([Buffer.alloc(32 - bytes.length), bytes]);
}

export function generateVapidKeyPair(): VapidKeyPair {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: privateScalar(ecdh.getPrivateKey())!,
  };
}

/** Decodes base64url or standard base64, padded or not; undefined when it is not base64 at all. */
export function decodeBase64Flexible(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) return undefined;
  return Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function parsePublicKey(text: string): Buffer {
  const bytes = decodeBase64Flexible(text);
  if (!bytes) throw new PushdeckError('VAPID_PUBLIC_KEY_NOT_BASE64', 'The public key is not base64url text.');
  if (bytes.length !== 65 || bytes[0] !== 0x04) {
    throw new PushdeckError(
      'VAPID_PUBLIC_KEY_LENGTH',
      `The public key must be a 65-byte uncompressed P-256 point (it is ${bytes.length} bytes). Copy the whole key.`,
    );
  }
  try {
    crypto.ECDH.convertKey(bytes, 'prime256v1');
  } catch {
    throw new PushdeckError(
      'VAPID_PUBLIC_KEY_NOT_ON_CURVE',
      'The public key is not a point on the P-256 curve.',
    );
  }
  return bytes;
}

function privateKeyLength(length: number): PushdeckError {
  return new PushdeckError(
    'VAPID_PRIVATE_KEY_LENGTH',
    `The private key must be 32 bytes (it is ${length}). Copy the whole key.`,
  );
}

/** The private key as 32 bytes; one whose leading zero bytes were dropped (29–31 bytes) is padded. */
export function parsePrivateKey(text: string): Buffer {
  const bytes = decodeBase64Flexible(text);
  if (!bytes)
    throw new PushdeckError('VAPID_PRIVATE_KEY_NOT_BASE64', 'The private key is not base64url text.');
  const scalar = privateScalar(bytes);
  if (!scalar) throw privateKeyLength(bytes.length);
  return scalar;
}

/** Checks that the private key belongs to the public key; returns the validated pair. */
export function validateKeyPair(publicKeyText: string, privateKeyText: string): VapidKeyPair {
  const publicKey = parsePublicKey(publicKeyText);
  const privateKey = parsePrivateKey(privateKeyText);
  const ecdh = crypto.createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(privateKey);
  } catch {
    throw new PushdeckError('VAPID_PRIVATE_KEY_INVALID', 'The private key is not a valid P-256 private key.');
  }
  if (!ecdh.getPublicKey().equals(publicKey)) {
    // A short key that padding does not make the pair's was most likely cut short when copied.
    const given = decodeBase64Flexible(privateKeyText)!.length;
    if (given !== 32) throw privateKeyLength(given);
    throw new PushdeckError(
      'VAPID_KEY_MISMATCH',
      'The private key does not belong to this public key. Import the two halves of the same pair.',
    );
  }
  return { publicKey: publicKey.toString('base64url'), privateKey };
}

/** A short, stable fingerprint of a public key for logs and the UI: never the key itself. */
export function keyFingerprint(publicKey: string): string {
  const hex = crypto.createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex');
  return hex.slice(0, 16).replace(/(.{4})(?!$)/g, '$1:');
}
