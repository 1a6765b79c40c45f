// Recognises a full disk, whichever layer reports it (SQLite's SQLITE_FULL "database or disk is full", a
// file write's ENOSPC or EDQUOT, or that text relayed from another thread), so that the user is told
// what happened to their data and what to do rather than a bare "database or disk is full".
import { PushdeckError } from '../../../shared/errors.ts';

const CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

export function isDiskFull(error: unknown): boolean {
  if (typeof error === 'string') return /database or disk is full|ENOSPC|EDQUOT/.test(error);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CODES.has(code)) || isDiskFull(error.message);
}

/** DISK_FULL: `what` says what became of the work and how to go on once there is space. */
export function diskFullError(dbPath: string, what: string): PushdeckError {
  return new PushdeckError(
    'DISK_FULL',
    `The disk holding ${dbPath} is full (database or disk is full). ${what}`,
  );
}
