// How CLI commands report: JSON on stdout with --json, aligned text otherwise; messages on stderr.
import { CommanderError } from 'commander';

export interface Output {
  json: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
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
