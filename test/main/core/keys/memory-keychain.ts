// A real AES-GCM keychain in memory standing in for Electron safeStorage, which needs the Electron binary
// these machines cannot download: it exercises Pushdeck's sealing logic, not safeStorage itself.
import crypto from 'node:crypto';
import type { SystemKeychain } from '../../../../src/main/core/keys/desktop-sealer.ts';

export function memoryKeychain(backend: string | null = 'gnome_libsecret', available = true): SystemKeychain {
  const key = crypto.randomBytes(32);
  return {
    isAvailable: () => available,
    backend: () => backend,
    encrypt(text) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(3, 15));
      decipher.setAuthTag(sealed.subarray(15, 31));
      return Buffer.concat([decipher.update(sealed.subarray(31)), decipher.final()]).toString('utf8');
    },
  };
}
