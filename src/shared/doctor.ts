// Contract of the doctor report: where the data lives, which versions run, and how keys are protected.
import { z } from 'zod';
import { channel } from './channel.ts';

export type KeyProtectionMode = 'safe-storage' | 'passphrase' | 'none' | 'locked';

export interface KeyProtectionStatus {
  /** How new private keys are sealed at rest. */
  mode: KeyProtectionMode;
  /** One sentence a person can read. */
  description: string;
  /** Set when the protection is weaker than it looks (plaintext fallback, no passphrase). */
  warning: string | null;
}

export interface DoctorReport {
  dbPath: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  nodeVersion: string;
  sqliteVersion: string;
  electronVersion: string | null;
  pushdeckVersion: string;
  keyProtection: KeyProtectionStatus;
}

export interface DatabaseBackup {
  path: string;
  bytes: number;
  pages: number;
}

export const doctorChannels = {
  'doctor.report': channel(z.object({}).strict()).returns<DoctorReport>(),
  /**
   * `pushdeck db backup FILE`: SQLite's online backup into a path typed on the command line (so the window
   * may not call it), checked, then renamed into place; `force` replaces a file already there.
   */
  'db.backup': channel(z.object({ path: z.string().min(1), force: z.boolean() }).strict(), {
    from: 'cli',
  }).returns<DatabaseBackup>(),
};
