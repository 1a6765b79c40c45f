// Opens what the user gave to import (a file path, or text from the window) as a stream of text chunks,
// after a look at its head: empty, binary or unreadable files are refused before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PushdeckError } from '../../../../shared/errors.ts';
import type { ImportFormat, ImportSource } from '../../../../shared/subscriptions.ts';

const HEAD_BYTES = 64 * 1024;
const CHUNK = 1024 * 1024;

export interface OpenedSource {
  fileName: string;
  /** The first 64 KB as text, to detect the format and preview columns. */
  head: string;
  totalBytes: number;
  /** Every chunk of the text, from the start (the head included). */
  chunks(): AsyncIterable<string>;
  bytesRead(): number;
}

function checkText(head: Buffer | string, fileName: string): void {
  if (head.length === 0) {
    throw new PushdeckError('IMPORT_EMPTY', `${fileName} is empty: there is nothing to import.`);
  }
  const text = typeof head === 'string' ? head : head.toString('utf8');
  const nul = typeof head === 'string' ? text.includes('\u0000') : head.includes(0);
  let bad = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) bad++;
  if (nul || bad > Math.max(8, text.length / 100)) {
    throw new PushdeckError(
      'IMPORT_NOT_TEXT',
      `${fileName} is not a text file (it looks binary). Import a JSON, NDJSON or CSV list of subscriptions.`,
    );
  }
  if (text.trim() === '') {
    throw new PushdeckError(
      'IMPORT_EMPTY',
      `${fileName} holds only blank space: there is nothing to import.`,
    );
  }
}

export function openSource(source: ImportSource): OpenedSource {
  if ('text' in source) {
    const fileName = source.fileName ?? 'The text';
    const text = source.text;
    checkText(text.slice(0, HEAD_BYTES), fileName);
    let read = 0;
    return {
      fileName,
      head: text.slice(0, HEAD_BYTES),
      totalBytes: text.length,
      bytesRead: () => read,
      async *chunks() {
        for (let i = 0; i < text.length; i += CHUNK) {
          read = Math.min(text.length, i + CHUNK);
          yield text.slice(i, i + CHUNK);
        }
      },
    };
  }
  const fileName = path.basename(source.path);
  let fd: number;
  try {
    fd = fs.openSync(source.path, 'r');
  } catch (error) {
    throw new PushdeckError('IMPORT_UNREADABLE', `Cannot read ${source.path}: ${(error as Error).message}`);
  }
  let totalBytes: number;
  let headBytes: Buffer;
  try {
    totalBytes = fs.fstatSync(fd).size;
    headBytes = Buffer.alloc(Math.min(HEAD_BYTES, totalBytes));
    fs.readSync(fd, headBytes, 0, headBytes.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  checkText(headBytes, fileName);
  let read = 0;
  return {
    fileName,
    head: new StringDecoder('utf8').write(headBytes),
    totalBytes,
    bytesRead: () => read,
    async *chunks() {
      const decoder = new StringDecoder('utf8');
      for await (const buffer of fs.createReadStream(source.path, { highWaterMark: CHUNK })) {
        read += (buffer as Buffer).length;
        const text = decoder.write(buffer as Buffer);
        if (text !== '') yield text;
      }
      const tail = decoder.end();
      if (tail !== '') yield tail;
    },
  };
}

/** JSON array, NDJSON or CSV, from the first characters of the file. */
export function detectFormat(head: string, fileName: string): ImportFormat {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = text.trimStart()[0];
  if (first === '[') return 'json';
  if (first === '{') {
    const body = text.trimStart();
    const newline = body.indexOf('\n');
    // A first line longer than the head is one long NDJSON row: the import rejects it as too long.
    if (newline === -1 && body.length >= HEAD_BYTES - 1024) return 'ndjson';
    const firstLine = (newline === -1 ? body : body.slice(0, newline)).trim();
    let value: unknown;
    try {
      value = JSON.parse(firstLine);
    } catch {
      // The first line is not a whole object: one object spread over lines, not NDJSON.
      throw new PushdeckError(
        'IMPORT_NOT_ARRAY',
        `${fileName} holds one JSON object, not a list. Import a JSON array of subscriptions ([{"endpoint": …, "keys": {…}}, …]), NDJSON (one object per line) or CSV.`,
      );
    }
    const object = value as Record<string, unknown>;
    if (!('endpoint' in object) && Object.values(object).some(Array.isArray)) {
      throw new PushdeckError(
        'IMPORT_NOT_ARRAY',
        `${fileName} holds one JSON object with a list inside, not a list of subscriptions. Import the array itself ([{"endpoint": …}, …]), NDJSON or CSV.`,
      );
    }
    return 'ndjson';
  }
  return 'csv';
}
