// The database of bench:ui: `rows` subscriptions of one app over five push services, with a label on every
// other one and `first_name` and `city` fields on all, as a user's imported CSV would give. One real key pair
// for all (each message is still encrypted afresh), as bench:send does. With BENCH_DB_CACHE=<file> the
// seeded database is kept in that file and copied for each later run of the same size (seeding 1M takes
// minutes); a cache from an older schema is migrated on the copy when the app opens it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureFieldLengths } from '../../src/main/core/subscriptions/field-lengths.ts';
import { endpointHash } from '../../src/main/core/subscriptions/endpoint-hash.ts';
import { createSortIndexes, dropSortIndexes } from '../../src/main/core/subscriptions/sort-indexes.ts';
import { benchContext, createBenchApp, userAgentKeys } from './send-support.ts';

/** Bump when the seeded rows change, so that a cache of the old rows is seeded again. */
const SEED_VERSION = 1;

const services = ['fcm', 'fcm', 'fcm', 'apple', 'mozilla', 'wns'];
const hosts: Record<string, string> = {
  fcm: 'https://fcm.googleapis.com/fcm/send/',
  apple: 'https://web.push.apple.com/',
  mozilla: 'https://updates.push.services.mozilla.com/wpush/v2/',
  wns: 'https://wns2-par02p.notify.windows.com/w/?token=',
};
const cities = ['Berlin', 'Paris', 'Lisbon', 'Oslo', 'Rome'];

export interface UiDatabase {
  dbPath: string;
  dir: string;
  appId: number;
  /** Copied from BENCH_DB_CACHE rather than seeded. */
  cached: boolean;
}

interface CacheStamp {
  seed: number;
  rows: number;
  appId: number;
}

/**
 * A database of `rows` subscriptions in a fresh temporary folder: a copy of `cache` when it holds that
 * many (its stamp beside it, `<cache>.json`), else seeded, and then kept in `cache` if one is named.
 */
export function uiDatabase(rows: number, cache = process.env.BENCH_DB_CACHE): UiDatabase {
  const stampPath = cache && `${cache}.json`;
  const stamp =
    stampPath && fs.existsSync(stampPath) && fs.existsSync(cache)
      ? (JSON.parse(fs.readFileSync(stampPath, 'utf8')) as CacheStamp)
      : null;
  if (cache && stamp?.seed === SEED_VERSION && stamp.rows === rows) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pushdeck-bench-ui-'));
    const dbPath = path.join(dir, 'bench.db');
    fs.copyFileSync(cache, dbPath, fs.constants.COPYFILE_FICLONE);
    return { dbPath, dir, appId: stamp.appId, cached: true };
  }
  const seeded = seedUiDatabase(rows);
  if (cache) {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    // The stamp last: a copy cut short leaves no stamp, so the next run seeds again.
    fs.rmSync(stampPath!, { force: true });
    fs.copyFileSync(seeded.dbPath, cache);
    fs.writeFileSync(stampPath!, JSON.stringify({ seed: SEED_VERSION, rows, appId: seeded.appId }));
  }
  return seeded;
}

/** Seeds a fresh database in a temporary folder and closes it (closing checkpoints the WAL into the file). */
export function seedUiDatabase(rows: number): UiDatabase {
  const { ctx, dir } = benchContext('ui-');
  const shop = createBenchApp(ctx);
  const keys = userAgentKeys();
  ctx.db.exec(dropSortIndexes());
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (id, app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, label,
       fields, status, created_at, updated_at, last_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
  );
  ctx.db.transaction(() => {
    for (let i = 1; i <= rows; i++) {
      const service = services[i % services.length]!;
      // Distinct tokens in no particular order, as a push service hands them out.
      const endpoint = `${hosts[service]}${((i * 2654435761) % 4294967296).toString(36)}${i.toString(36)}-${'x'.repeat(110)}`;
      insert.run(
        i,
        shop.id,
        shop.keyId,
        endpoint,
        endpointHash(endpoint),
        keys.p256dh,
        keys.auth,
        service,
        i % 2 ? `Customer ${i}` : null,
        JSON.stringify({ first_name: `Name${i}`, city: cities[i % cities.length] }),
        1_735_689_600_000 + i,
        1_735_689_600_000 + i,
        i % 4 ? 1_735_689_600_000 + ((i * 7919) % 100_000) * 1000 : null,
      );
    }
  })();
  // Written around the import, so the field lengths that imports keep are measured here.
  measureFieldLengths(ctx.db);
  ctx.db.exec(createSortIndexes());
  ctx.db.pragma('optimize');
  const dbPath = ctx.dbPath;
  ctx.db.close();
  return { dbPath, dir, appId: shop.id, cached: false };
}
