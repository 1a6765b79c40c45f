// A statement with checkpoints (db/checkpoint.ts) over a real SQLite file: it runs to its end on any
// connection, asks about once per 1021 rows, and stops with the error its check throws.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowCheckpoints, checkpoint } from '../../../../src/main/core/db/checkpoint.ts';
import { openDatabase } from '../../../../src/main/core/db/database.ts';
import { tempDir } from '../../../support/temp-dir.ts';

const numbers = (n: number) =>
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${n})
   SELECT count(*) FROM n WHERE ${checkpoint('i')}`;

describe('checkpoints in a statement', () => {
  it('run to the end where nothing stops them, asking once per multiple of 1021', () => {
    const db = openDatabase(path.join(tempDir(), 'a.db'));
    expect(db.prepare(numbers(100_000)).pluck().get()).toBe(100_000);
    let asked = 0;
    allowCheckpoints(db, () => void asked++);
    expect(db.prepare(numbers(100_000)).pluck().get()).toBe(100_000);
    expect(asked).toBe(Math.floor(100_000 / 1021));
    db.close();
  });

  it('stop the statement with the error the check throws, and the connection goes on', () => {
    const db = openDatabase(path.join(tempDir(), 'b.db'));
    let asked = 0;
    allowCheckpoints(db, () => {
      if (++asked === 3) throw new Error('replaced');
    });
    expect(() => db.prepare(numbers(1_000_000)).pluck().get()).toThrow('replaced');
    expect(asked, 'stopped at the third checkpoint, not after a million rows').toBe(3);
    expect(db.prepare('SELECT 1').pluck().get()).toBe(1);
    db.close();
  });
});
