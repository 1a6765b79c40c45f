// Streams the elements of a JSON array, and the lines of NDJSON, as parsed values, one at a time: a
// million-row file never sits in memory whole. A bad element is reported and skipped; the array's own
// structure being broken (truncated, not an array) ends the stream with a notice.
import { PushdeckError } from '../../../../shared/errors.ts';
import { MAX_ROW_CHARS, splitLines } from './text-lines.ts';

export type JsonRecord =
  | { row: number; value: unknown }
  | { row: number; reject: 'ROW_MALFORMED' | 'ROW_TOO_LONG' | 'ROW_TRUNCATED' }
  | { row: number; notice: string };

const WS = new Set([32, 9, 10, 13]);

export async function* jsonArrayRecords(chunks: AsyncIterable<string>): AsyncGenerator<JsonRecord> {
  // before: before '['; between: expecting an element or ']'; after-element: expecting ',' or ']'.
  let state = 'before' as 'before' | 'between' | 'in' | 'after-element' | 'done';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let size = 0;
  let tooLong = false;
  let row = 0;
  let offset = 0;
  let first = true;

  const finish = (text: string): JsonRecord => {
    if (tooLong) return { row, reject: 'ROW_TOO_LONG' };
    try {
      return { row, value: JSON.parse(text) as unknown };
    } catch {
      return { row, reject: 'ROW_MALFORMED' };
    }
  };

  for await (let chunk of chunks) {
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    first = false;
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (state === 'in') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (c === 125 || c === 93) {
          if (depth === 0) {
            // A scalar element ends at the closing bracket.
            yield finishPiece(chunk.slice(start, i));
            state = 'done';
            continue;
          }
          depth--;
          if (depth === 0) {
            yield finishPiece(chunk.slice(start, i + 1));
            state = 'after-element';
          }
        } else if (c === 44 && depth === 0) {
          yield finishPiece(chunk.slice(start, i));
          state = 'between';
        }
        continue;
      }
      if (WS.has(c)) continue;
      if (state === 'before') {
        if (c !== 91) throw notArray(c);
        state = 'between';
      } else if (state === 'between') {
        if (c === 93 && row === 0) {
          state = 'done';
          continue;
        }
        row++;
        state = 'in';
        start = i;
        parts = [];
        size = 0;
        tooLong = false;
        depth = 0;
        if (c === 123 || c === 91) depth = 1;
        else if (c === 34) inString = true;
        else if (c === 93 || c === 44) {
          yield {
            row,
            notice: `The JSON array has an empty element at position ${row}; the rest of the file was not read.`,
          };
          return;
        }
      } else if (state === 'after-element') {
        if (c === 44) state = 'between';
        else if (c === 93) state = 'done';
        else {
          yield {
            row,
            notice: `The JSON is broken after element ${row} (around character ${offset + i}); the rest of the file was not read.`,
          };
          return;
        }
      } else if (state === 'done') {
        yield { row, notice: `There is text after the end of the JSON array; it was not read.` };
        return;
      }
    }
    if (state === 'in') keepPiece(chunk.slice(start));
    offset += chunk.length;
  }
  if (state === 'in') {
    yield { row, reject: 'ROW_TRUNCATED' };
    yield {
      row,
      notice: `The file ends in the middle of element ${row}: it looks truncated. The elements before it were read.`,
    };
  } else if (state === 'between' || state === 'after-element') {
    yield {
      row,
      notice: `The JSON array is not closed with ]: the file looks truncated. All ${row} complete elements were read.`,
    };
  } else if (state === 'before') {
    throw new PushdeckError('IMPORT_EMPTY', 'The file is empty: there is nothing to import.');
  }

  function keepPiece(piece: string): void {
    size += piece.length;
    if (size > MAX_ROW_CHARS) {
      tooLong = true;
      parts = [];
    } else if (!tooLong) parts.push(piece);
  }

  function finishPiece(piece: string): JsonRecord {
    keepPiece(piece);
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    return finish(text);
  }
}

function notArray(c: number): PushdeckError {
  if (c === 123) {
    return new PushdeckError(
      'IMPORT_NOT_ARRAY',
      'The file holds one JSON object, not a list. Import a JSON array of subscriptions ([{"endpoint": …, "keys": {…}}, …]), NDJSON (one object per line) or CSV.',
    );
  }
  return new PushdeckError(
    'IMPORT_JSON_INVALID',
    'The file is not a JSON array. Import a JSON array of subscriptions, NDJSON or CSV.',
  );
}

export async function* ndjsonRecords(chunks: AsyncIterable<string>): AsyncGenerator<JsonRecord> {
  for await (const line of splitLines(chunks)) {
    if (line.tooLong) {
      yield { row: line.lineNo, reject: 'ROW_TOO_LONG' };
      continue;
    }
    const text = line.text.trim();
    if (text === '') continue;
    try {
      yield { row: line.lineNo, value: JSON.parse(text) as unknown };
    } catch {
      yield { row: line.lineNo, reject: 'ROW_MALFORMED' };
    }
  }
}
