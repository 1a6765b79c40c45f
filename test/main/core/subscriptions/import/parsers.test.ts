import { describe, expect, it } from 'vitest';
import {
  csvCell,
  csvRecords,
  parseCsvRecord,
  unescapeFormula,
} from '../../../../../src/main/core/subscriptions/import/csv-records.ts';
import {
  jsonArrayRecords,
  ndjsonRecords,
} from '../../../../../src/main/core/subscriptions/import/json-records.ts';
import { splitLines } from '../../../../../src/main/core/subscriptions/import/text-lines.ts';

/** The text in pieces of `size` characters, as a file stream would deliver it. */
async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('CSV records', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes, CRLF and a BOM, in any chunking', async () => {
    const text = '\ufeffa,b,c\r\n1,"two, 2","say ""hi"""\r\n3,"multi\nline",x\r\n\r\n4,5,6';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(await collect(csvRecords(pieces(text, size)))).toEqual([
        { row: 1, cells: ['a', 'b', 'c'] },
        { row: 2, cells: ['1', 'two, 2', 'say "hi"'] },
        { row: 3, cells: ['3', 'multi\nline', 'x'] },
        { row: 6, cells: ['4', '5', '6'] },
      ]);
    }
  });

  it('reports a line over the cap without buffering it', async () => {
    const lines = await collect(splitLines(pieces(`short\n${'x'.repeat(5000)}\nafter`, 100), 1000));
    expect(lines).toEqual([
      { lineNo: 1, text: 'short' },
      { lineNo: 2, tooLong: true },
      { lineNo: 3, text: 'after' },
    ]);
  });

  it('escapes formula cells on the way out and undoes it on the way in', () => {
    for (const value of ['=cmd|" /C calc"!A0', '+1', '-2', '@SUM(A1)', 'plain', 'a,b', 'quote "x"']) {
      const cell = csvCell(value);
      expect(cell).not.toMatch(/^[=+\-@]/);
      expect(unescapeFormula(parseCsvRecord(cell)[0]!)).toBe(value);
    }
  });
});

describe('JSON array records', () => {
  const elements = [
    { endpoint: 'https://a/1', keys: { p256dh: 'x', auth: 'y' } },
    { endpoint: 'https://a/"2"]', tags: ['a', 'b'] },
  ];

  it('streams each element of an array, whatever the chunking', async () => {
    const text = `\ufeff  [${elements.map((e) => JSON.stringify(e, null, 2)).join(' ,\n')}]\n`;
    for (const size of [1, 5, 64, 100_000]) {
      expect(await collect(jsonArrayRecords(pieces(text, size)))).toEqual([
        { row: 1, value: elements[0] },
        { row: 2, value: elements[1] },
      ]);
    }
  });

  it('rejects a bad element and goes on', async () => {
    const text = '[{"endpoint": nope}, 5, {"endpoint": "https://a"}]';
    expect(await collect(jsonArrayRecords(pieces(text, 4)))).toEqual([
      { row: 1, reject: 'ROW_MALFORMED' },
      { row: 2, value: 5 },
      { row: 3, value: { endpoint: 'https://a' } },
    ]);
  });

  it('keeps the complete elements of a truncated file and says it is truncated', async () => {
    const text = JSON.stringify(elements).slice(0, -10);
    const records = await collect(jsonArrayRecords(pieces(text, 7)));
    expect(records[0]).toEqual({ row: 1, value: elements[0] });
    expect(records[1]).toEqual({ row: 2, reject: 'ROW_TRUNCATED' });
    expect(records[2]).toMatchObject({ row: 2, notice: expect.stringMatching(/truncated/) });
  });

  it('refuses an object that is not an array with a clear message', async () => {
    await expect(collect(jsonArrayRecords(pieces('{"subscriptions": []}', 4)))).rejects.toMatchObject({
      code: 'IMPORT_NOT_ARRAY',
    });
  });
});

describe('NDJSON records', () => {
  it('numbers rows by line and rejects a line that is not JSON', async () => {
    const text = '{"endpoint":"https://a/1"}\r\n\r\nnot json\n{"endpoint":"https://a/2"}';
    expect(await collect(ndjsonRecords(pieces(text, 3)))).toEqual([
      { row: 1, value: { endpoint: 'https://a/1' } },
      { row: 3, reject: 'ROW_MALFORMED' },
      { row: 4, value: { endpoint: 'https://a/2' } },
    ]);
  });
});
