// Migrations are history: a file that already upgraded someone's database must go on sending SQLite the
// same SQL, byte for byte, whatever its text shares with other migrations. This pins what each sends.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src/main/core/db/migrations/index.ts';

/** Runs every migration on a fresh in-memory database, recording the SQL each passes to exec or prepare. */
function sqlSentByEachMigration(): Map<string, string[]> {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const sent = new Map<string, string[]>();
  for (const migration of migrations) {
    const statements: string[] = [];
    const recording = new Proxy(db, {
      get(target, key) {
        if (key === 'exec' || key === 'prepare') {
          return (sql: string) => {
            statements.push(sql);
            return key === 'exec' ? target.exec(sql) : target.prepare(sql);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    migration.up(recording);
    sent.set(migration.name, statements);
  }
  db.close();
  return sent;
}

// sha256 of the statements joined by NUL, recorded before any migration's text was shared. Pinned: the
// ones whose SQL is all their own (008, 010 and 012 also run current index and field-length helpers; 013
// is this stop's own and may still change before it ships).
const pinned: Record<string, string> = {
  foundation: 'c7673d214d2a333516eb487d8e335bcfcf82e06fc13830965bf444f16d8469c5',
  'apps-and-keys': '74c67b2c9b26f3adf0b142599b3536107e4893023072edae74249e28b25c7489',
  subscriptions: '0ee60210bd1bed47e27b32f6f30d2a7097f87ac6f9ff481ac31ab7647f6e2b56',
  campaigns: '847bbf2624b88fe1307b0f40bafb4c3c004bba594ab88ed09c995d77423eedb6',
  compose: '47e979f541289502f26c1e50eb26ac977cb801b14edcbb2145b6308b0313b084',
  'results-summary': '514cd9985cbd589892ba1fc8c4d2cb52681ede84f72802e36ba35ba51005849a',
  'deliveries-outlive-subscriptions': '9c9a29f22cb6f794cd0b8da6e9bd562f952a8e0baeb682572a6b4a6a0ef77a16',
  variants: 'df24976997ca6d3b1ab6402dd376e511782c3e425b23473b5cb7b74c1ffbae3e',
  'delivery-time': 'b263b7ad8e16316e05a32177b32a8364862e943a5b46fc2910236155dc696f05',
};

describe('migrations', () => {
  it('each send SQLite exactly the SQL they sent when they shipped', () => {
    const sent = sqlSentByEachMigration();
    const hashes = Object.fromEntries(
      Object.keys(pinned).map((name) => {
        const statements = sent.get(name);
        expect(statements, name).toBeDefined();
        return [name, crypto.createHash('sha256').update(statements!.join('\0')).digest('hex')];
      }),
    );
    expect(hashes).toEqual(pinned);
  });
});
