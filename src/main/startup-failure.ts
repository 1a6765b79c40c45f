// What the desktop app says when it cannot start (its database does not open): the file, why, and what to
// do, in an error dialog before it quits. Plain text, tested under Node; index.ts shows it.
import { isPushdeckError } from '../shared/errors.ts';

/** An error's own text is capped: a damaged file's message must not fill the screen. */
const MAX_REASON = 400;

export function startupFailure(error: unknown, dbPath: string): { title: string; message: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const reason = raw.length > MAX_REASON ? `${raw.slice(0, MAX_REASON)}…` : raw;
  const code = isPushdeckError(error) ? error.code : null;
  const fix =
    code === 'DB_UNWRITABLE'
      ? 'Check that you may write to that folder, or start Pushdeck with PUSHDECK_DB set to a file elsewhere.'
      : code === 'DB_INVALID' || code === 'DB_DAMAGED' || code === 'DB_CORRUPT'
        ? 'The file is damaged or not a Pushdeck database. Quit, move it aside, and put your last backup in its place (pushdeck db backup makes one), or start with PUSHDECK_DB set to another file.'
        : 'If another program holds the file, close it and start Pushdeck again. If the file is damaged, move it aside and restore your last backup, or start with PUSHDECK_DB set to another file.';
  return {
    title: 'Pushdeck cannot start',
    message: `Pushdeck could not open its database:\n${dbPath || '(no path)'}\n\n${reason}\n\nWhat to do: ${fix}\n\nPushdeck will quit now.`,
  };
}
