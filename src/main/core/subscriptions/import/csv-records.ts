// Streams CSV records (RFC 4180: quoted fields, "" escapes, line breaks inside quotes, CRLF) from text
// chunks. Each record carries the line it starts on, which is what a person looks for in an editor.
import { splitLines, MAX_ROW_CHARS } from './text-lines.ts';

export type CsvRecord = { row: number; cells: string[] } | { row: number; tooLong: true };

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** Splits one complete record into cells. */
export function parseCsvRecord(text: string): string[] {
  if (text.indexOf('"') === -1) return text.split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          value += text.slice(i);
          i = text.length;
          break;
        }
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the comma is kept, as spreadsheets do.
      const comma = text.indexOf(',', i);
      value += comma === -1 ? text.slice(i) : text.slice(i, comma);
      cells.push(value);
      if (comma === -1) return cells;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma === -1) {
        cells.push(text.slice(i));
        return cells;
      }
      cells.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let pending: string | null = null;
  let pendingRow = 0;
  for await (const line of splitLines(chunks)) {
    if (line.tooLong) {
      if (pending !== null) yield { row: pendingRow, tooLong: true };
      pending = null;
      yield { row: line.lineNo, tooLong: true };
      continue;
    }
    if (pending === null) {
      if (line.text === '') continue;
      if (countQuotes(line.text) % 2 === 0) {
        yield { row: line.lineNo, cells: parseCsvRecord(line.text) };
      } else {
        pending = line.text;
        pendingRow = line.lineNo;
      }
      continue;
    }
    pending += `\n${line.text}`;
    if (pending.length > MAX_ROW_CHARS) {
      yield { row: pendingRow, tooLong: true };
      pending = null;
    } else if (countQuotes(pending) % 2 === 0) {
      yield { row: pendingRow, cells: parseCsvRecord(pending) };
      pending = null;
    }
  }
  if (pending !== null) yield { row: pendingRow, cells: parseCsvRecord(pending) };
}

/**
 * One CSV cell: quoted when needed, and formula-looking text made inert with a leading ' (OWASP CSV
 * injection). Text that already starts with ' before such a character gets one more, so that
 * unescapeFormula, which takes one off, gives back exactly what was exported.
 */
export function csvCell(value: string): string {
  let text = value;
  if (/^'*[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Undoes csvCell's formula escape on import, so that export → import round-trips. */
export function unescapeFormula(value: string): string {
  return value.charCodeAt(0) === 39 && /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
