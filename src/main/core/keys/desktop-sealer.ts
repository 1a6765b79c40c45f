// The desktop app's sealer: the system keychain (Electron safeStorage, handed in by src/main/index.ts) by
// default, or a passphrase held only in main's memory, so that the CLI can open the same keys with
// PUSHDECK_PASSPHRASE. Keys are opened by the way they were sealed, whatever is chosen now.
import type { KeyProtectionMode, KeyProtectionStatus } from '../../../shared/doctor.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  openedKey,
  openPlain,
  passphraseSealer,
  type KeySealer,
  type ProtectionChoice,
  type SealedWith,
} from './sealer.ts';

/** What the desktop sealer needs of Electron's safeStorage. */
export interface SystemKeychain {
  isAvailable(): boolean;
  /** Linux only: 'basic_text' means no keyring, and a fixed key: effectively plaintext. */
  backend(): string | null;
  encrypt(text: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export const PLAINTEXT_KEYCHAIN_BACKEND = 'basic_text';

function keychainLocked(): PushdeckError {
  return new PushdeckError(
    'KEYS_KEYCHAIN_UNAVAILABLE',
    'The system keychain is not available: choose passphrase protection in Keys.',
  );
}

function passphraseLocked(): PushdeckError {
  return new PushdeckError(
    'KEYS_LOCKED',
    'Private keys are encrypted with your passphrase: enter it in Keys to unlock them.',
  );
}

export function desktopSealer(
  keychain: SystemKeychain,
  initial: ProtectionChoice = 'safe-storage',
): KeySealer {
  let choice: ProtectionChoice = initial;
  let passphrase: KeySealer | null = null;
  const plaintextKeychain = () => keychain.backend() === PLAINTEXT_KEYCHAIN_BACKEND;

  const mode = (): KeyProtectionMode => {
    if (choice === 'passphrase') return passphrase ? 'passphrase' : 'locked';
    return keychain.isAvailable() ? 'safe-storage' : 'locked';
  };

  const status = (): KeyProtectionStatus => {
    if (choice === 'passphrase') {
      return passphrase
        ? {
            mode: 'passphrase',
            description:
              'Private keys are encrypted with your passphrase (scrypt + AES-256-GCM); the CLI opens them with PUSHDECK_PASSPHRASE.',
            warning: null,
          }
        : {
            mode: 'locked',
            description: 'Private keys are encrypted with your passphrase, which has not been entered yet.',
            warning: 'Enter your passphrase in Keys to create, import, export or send with keys.',
          };
    }
    if (!keychain.isAvailable()) {
      return {
        mode: 'locked',
        description: 'The system keychain (Electron safeStorage) is not available on this desktop.',
        warning: 'Keys cannot be sealed: choose passphrase protection in Keys.',
      };
    }
    const backend = keychain.backend();
    return {
      mode: 'safe-storage',
      description: `Private keys are sealed with the system keychain (Electron safeStorage${
        backend ? `, ${backend}` : ''
      }). Only this desktop app can open them; the CLI cannot.`,
      warning: plaintextKeychain()
        ? 'No system keyring was found (safeStorage backend basic_text): keys sealed this way are effectively stored in plaintext. Choose passphrase protection in Keys.'
        : null,
    };
  };

  return {
    get mode() {
      return mode();
    },
    status,
    seal(privateKey) {
      const current = mode();
      if (current === 'passphrase' && passphrase) return passphrase.seal(privateKey);
      if (current === 'safe-storage') {
        return { sealed: keychain.encrypt(privateKey.toString('base64')), protection: 'safe-storage' };
      }
      throw choice === 'passphrase' ? passphraseLocked() : keychainLocked();
    },
    open(sealed: Buffer, protection: SealedWith) {
      if (protection === 'safe-storage') return openedKey(this.openBytes(sealed, protection));
      if (protection === 'passphrase') {
        if (!passphrase) throw passphraseLocked();
        return passphrase.open(sealed, protection);
      }
      return openPlain(sealed);
    },
    openBytes(sealed: Buffer, protection: SealedWith) {
      if (protection === 'safe-storage') {
        if (!keychain.isAvailable()) throw keychainLocked();
        try {
          return Buffer.from(keychain.decrypt(sealed), 'base64');
        } catch {
          throw new PushdeckError(
            'KEYS_KEYCHAIN_FAILED',
            'The system keychain could not open a stored secret (was it sealed on another computer or user account?).',
          );
        }
      }
      if (protection === 'passphrase') {
        if (!passphrase) throw passphraseLocked();
        return passphrase.openBytes(sealed, protection);
      }
      return Buffer.from(sealed);
    },
    protects(protection) {
      if (protection === 'none') return false;
      if (protection === 'safe-storage') return !plaintextKeychain();
      return true;
    },
    control: {
      choice: () => choice,
      keychainAvailable: () => keychain.isAvailable(),
      unlocked: () => (choice === 'passphrase' ? passphrase !== null : keychain.isAvailable()),
      choose(next, newPassphrase) {
        if (next === 'passphrase') {
          // Without a passphrase (at start, from the saved choice) the keys stay locked until it is entered.
          passphrase = newPassphrase ? passphraseSealer(newPassphrase) : null;
        } else {
          if (!keychain.isAvailable()) throw keychainLocked();
          passphrase = null;
        }
        choice = next;
      },
    },
  };
}
