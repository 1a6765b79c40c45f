// Encrypts a batch of messages for their subscriptions: the unit of work of an encryption thread.
import { isPushdeckError } from '../../../shared/errors.ts';
import { encryptPayload, subscriptionKeys } from './encryption.ts';

export interface EncryptItem {
  /** null: a push without payload (nothing to encrypt). */
  plaintext: Uint8Array | null;
  p256dh: string;
  auth: string;
}

export type EncryptResult =
  { body: Uint8Array | null; error?: undefined } | { body?: undefined; error: string };

export function encryptBatch(items: EncryptItem[]): EncryptResult[] {
  return items.map((item) => {
    if (!item.plaintext) return { body: null };
    try {
      const plaintext = Buffer.from(
        item.plaintext.buffer,
        item.plaintext.byteOffset,
        item.plaintext.byteLength,
      );
      return { body: encryptPayload(plaintext, subscriptionKeys(item.p256dh, item.auth)) };
    } catch (error) {
      return { error: isPushdeckError(error) ? `${error.code}: ${error.message}` : (error as Error).message };
    }
  });
}
