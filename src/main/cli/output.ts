// How CLI commands report: JSON on stdout with --json, aligned text otherwise; messages on stderr.
import { CommanderError } from 'commander';
import { escapeControlChars } from '../../shared/control-chars.ts';

export interface Output {
  json: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * The CLI's own output channels, made safe for a terminal: whatever a command prints (a push service's
 * reason, a label, an error message quoting input) reaches it with its control characters escaped. JSON
 * stays valid: JSON.stringify already escapes C0, and \uXXXX is how JSON writes the others.
 */
export function terminalSafe<T extends { stdout: (text: string) => void; stderr: (text: string) => void }>(
  io: T,
): T {
  return {
    ...io,
    stdout: (text: string) => io.stdout(escapeControlChars(text)),
    stderr: (text: string) => io.stderr(escapeControlChars(text)),
  };
}

export function printData(out: Output, data: unknown, text: () => string): void {
  out.stdout(out.json ? JSON.stringify(data, null, 2) : text());
}

/** Two columns, keys padded to the longest. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

/** Bad usage found after parsing (flags that do not go together): exit 2, the message on stderr. */
export function usageError(message: string): CommanderError {
  return new CommanderError(2, 'pushdeck.usage', message);
}
