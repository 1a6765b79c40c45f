// Seals private keys at rest. The desktop app seals with Electron safeStorage (its sealer is built in
// src/main/index.ts); headless Pushdeck seals with a passphrase (scrypt + AES-256-GCM); 'none' stores the
// key as is and is only used when the user asks for it. A key sealed one way is opened the same way.
import crypto from 'node:crypto';
import type { KeyProtectionMode, KeyProtectionStatus } from '../../../shared/doctor.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { privateScalar } from './vapid-keys.ts';

export type SealedWith = Exclude<KeyProtectionMode, 'locked'>;

export interface KeySealer {
  /** How seal() protects a new key; 'locked' when it cannot (no passphrase, no keychain). */
  readonly mode: KeyProtectionMode;
  status(): KeyProtectionStatus;
  seal(privateKey: Buffer): { sealed: Buffer; protection: SealedWith };
  open(sealed: Buffer, protection: SealedWith): Buffer;
  /** Opens any secret sealed by seal() as its bytes (a proxy password), without the private-key checks. */
  openBytes(sealed: Buffer, protection: SealedWith): Buffer;
  /** Whether a key stored this way is really protected here ('none', or safeStorage over basic_text: no). */
  protects(protection: SealedWith): boolean;
  /** Present where the user chooses the protection (the desktop app); the CLI's comes from its environment. */
  readonly control?: ProtectionControl;
}

export type ProtectionChoice = 'safe-storage' | 'passphrase';

/** How the desktop app switches between its system keychain and a passphrase held in memory. */
export interface ProtectionControl {
  choice(): ProtectionChoice;
  keychainAvailable(): boolean;
  /** False while the passphrase is chosen but not entered yet. */
  unlocked(): boolean;
  /** Chooses how new keys are sealed; 'passphrase' without one leaves keys locked until it is entered. */
  choose(choice: ProtectionChoice, passphrase?: string): void;
}

/** Keys sealed by someone else's keychain or with a passphrase: stored keys are protected either way. */
export function protectsAtRest(protection: SealedWith): boolean {
  return protection !== 'none';
}

const MAGIC = Buffer.from('PDK1');
// scrypt cost: ~50 ms per derivation here; derived keys are cached per salt for the process lifetime.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function lockedError(): PushdeckError {
  return new PushdeckError(
    'KEYS_LOCKED',
    'Private keys are encrypted with a passphrase: set PUSHDECK_PASSPHRASE to use them from the command line.',
  );
}

/** An opened private key as its 32 bytes (privateScalar: earlier builds stored some as 31). */
export function openedKey(bytes: Buffer): Buffer {
  const key = privateScalar(bytes);
  if (!key) throw new PushdeckError('KEY_CORRUPT', 'A stored private key is damaged.');
  return key;
}

export function openPlain(sealed: Buffer): Buffer {
  return openedKey(Buffer.from(sealed));
}

export function passphraseSealer(passphrase: string): KeySealer {
  const cache = new Map<string, Buffer>();
  const derive = (salt: Buffer): Buffer => {
    const id = salt.toString('hex');
    let key = cache.get(id);
    if (!key) {
      key = crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
      cache.set(id, key);
    }
    return key;
  };
  return {
    mode: 'passphrase',
    protects: protectsAtRest,
    status: () => ({
      mode: 'passphrase',
      description:
        'Private keys are encrypted with a key derived from PUSHDECK_PASSPHRASE (scrypt + AES-256-GCM).',
      warning: null,
    }),
    seal(privateKey) {
      const salt = crypto.randomBytes(16);
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', derive(salt), iv);
      const body = Buffer.concat([cipher.update(privateKey), cipher.final()]);
      return {
        sealed: Buffer.concat([MAGIC, salt, iv, cipher.getAuthTag(), body]),
        protection: 'passphrase',
      };
    },
    open(sealed, protection) {
      return protection === 'none' ? openPlain(sealed) : openedKey(this.openBytes(sealed, protection));
    },
    openBytes(sealed, protection) {
      if (protection === 'none') return Buffer.from(sealed);
      if (protection !== 'passphrase') {
        throw new PushdeckError(
          'KEYS_SAFE_STORAGE_ONLY',
          'This key is protected by the desktop app’s system keychain. Open Pushdeck, or export it there.',
        );
      }
      if (sealed.length < 48 || !sealed.subarray(0, 4).equals(MAGIC)) {
        throw new PushdeckError('KEY_CORRUPT', 'A stored private key is damaged.');
      }
      const salt = sealed.subarray(4, 20);
      const iv = sealed.subarray(20, 32);
      const tag = sealed.subarray(32, 48);
      const decipher = crypto.createDecipheriv('aes-256-gcm', derive(salt), iv);
      decipher.setAuthTag(tag);
      let opened: Buffer;
      try {
        opened = Buffer.concat([decipher.update(sealed.subarray(48)), decipher.final()]);
      } catch {
        throw new PushdeckError(
          'KEYS_WRONG_PASSPHRASE',
          'PUSHDECK_PASSPHRASE does not open the stored private keys.',
        );
      }
      return opened;
    },
  };
}

/** How a sealer without a passphrase or keychain opens: keys stored unencrypted only, others are locked. */
const plainOpeners: Pick<KeySealer, 'open' | 'openBytes'> = {
  open(sealed, protection) {
    if (protection === 'none') return openPlain(sealed);
    throw lockedError();
  },
  openBytes(sealed, protection) {
    if (protection === 'none') return Buffer.from(sealed);
    throw lockedError();
  },
};

/** No encryption at rest; only when the user explicitly chose it, and then shown as unprotected. */
export function plaintextSealer(): KeySealer {
  return {
    mode: 'none',
    protects: protectsAtRest,
    status: () => ({
      mode: 'none',
      description: 'Private keys are stored unencrypted in the database file.',
      warning: 'Private keys are NOT protected: anyone who can read the database file can use them.',
    }),
    seal: (privateKey) => ({ sealed: Buffer.from(privateKey), protection: 'none' }),
    ...plainOpeners,
  };
}

/** Neither a passphrase nor a keychain: keys stored unencrypted can be read, nothing can be sealed. */
export function lockedSealer(): KeySealer {
  return {
    mode: 'locked',
    protects: protectsAtRest,
    status: () => ({
      mode: 'locked',
      description:
        'No PUSHDECK_PASSPHRASE is set: encrypted private keys cannot be read or written from here.',
      warning: 'Set PUSHDECK_PASSPHRASE to create, import or use keys headless.',
    }),
    seal() {
      throw lockedError();
    },
    ...plainOpeners,
  };
}

/** The headless sealer: PUSHDECK_PASSPHRASE when set, PUSHDECK_INSECURE_KEYS=1 for plaintext, else locked. */
export function sealerFromEnv(env: NodeJS.ProcessEnv = process.env): KeySealer {
  if (env.PUSHDECK_PASSPHRASE) return passphraseSealer(env.PUSHDECK_PASSPHRASE);
  if (env.PUSHDECK_INSECURE_KEYS === '1') return plaintextSealer();
  return lockedSealer();
}
