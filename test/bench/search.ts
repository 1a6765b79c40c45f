// `npm run bench:search`: the people search and the list's deep pages over 1,000,000 subscriptions (the
// import benchmark's list: label `user N`, city Paris or Lyon, five tags): building the search index for a
// list already there (what migration 12 does), then counts, first pages and the one-off search, then each
// sort's first jump deep into the list and the page after. BENCH_DB=FILE keeps the database for another run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, getApp } from '../../src/main/core/apps/apps.ts';
import { searchSubscriptions } from '../../src/main/core/compose/audience.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';
import { importSubscriptions } from '../../src/main/core/subscriptions/import/service.ts';
import { countSubscriptions, listPage } from '../../src/main/core/subscriptions/list-query.ts';
import { listsChanged } from '../../src/main/core/subscriptions/page-anchors.ts';
import { createSearchIndex, fillSearchIndex } from '../../src/main/core/subscriptions/search-index.ts';
import { subscriptionSorts } from '../../src/shared/subscriptions.ts';
import { writeCsvList } from './import-data.ts';
import { loadAverage, median, timed } from './timing.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dir = path.join(os.tmpdir(), 'pushdeck-bench');
fs.mkdirSync(dir, { recursive: true });
const csv = path.join(dir, `subs-${rows}-2000.csv`);
if (!fs.existsSync(csv)) writeCsvList(csv, { rows, distinctKeys: 2000 });
const keep = process.env.BENCH_DB;
const dbPath = keep ?? path.join(fs.mkdtempSync(path.join(dir, 'search-')), 'bench.db');
const fresh = !fs.existsSync(dbPath);

const line = (name: string, value: string) => console.log(`${name.padEnd(46)} ${value.padStart(12)}`);

console.log(
  `Node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()} (shared machine)`,
);
const ctx = openContext({
  dbPath,
  runtime: { pushdeckVersion: 'bench', electronVersion: null },
  keySealer: passphraseSealer('bench'),
});
const app = fresh
  ? createApp(ctx, { name: 'bench.example', subject: 'mailto:bench@example.com' })
  : getApp(ctx, 'bench.example');
if (fresh) {
  const [summary, ms] = await (async () => {
    const start = performance.now();
    const result = await importSubscriptions(ctx, { appId: app.id, source: { path: csv } });
    return [result, performance.now() - start] as const;
  })();
  line(`import ${summary.inserted} rows, search index kept`, `${(ms / 1000).toFixed(1)} s`);
}

// Migration 12 over the list already there: the index dropped, then made and filled as the migration does.
ctx.db.exec(`DROP TRIGGER subscription_search_insert; DROP TRIGGER subscription_search_update;
  DROP TRIGGER subscription_search_delete; DROP TABLE subscription_search;`);
const [indexed, fillMs] = timed(() =>
  ctx.db.transaction(() => {
    ctx.db.exec(createSearchIndex());
    return fillSearchIndex(ctx.db);
  })(),
);
line(`migration 12: index ${indexed} subscriptions`, `${(fillMs / 1000).toFixed(1)} s`);
const size = ctx.db
  .prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'subscription_search%'")
  .pluck()
  .get() as number | null;
if (size !== null) line('search index size', `${(size / 1024 / 1024).toFixed(0)} MB`);

const token = crypto.createHash('sha256').update('777').digest('base64url');
const texts = ['user 4242', '4242', 'paris', 'lyon', 'news', token.slice(0, 10), 'us', 'nobody here'];
for (const text of texts) {
  const filter = { search: text };
  const count = countSubscriptions(ctx.db, app.id, filter);
  const countMs = median(() => countSubscriptions(ctx.db, app.id, filter), 5);
  const pageMs = median(() => listPage(ctx.db, app.id, filter, 'newest', 0), 5);
  const oneOffMs = median(() => searchSubscriptions(ctx, app.id, text, 10), 5);
  line(
    `"${text}" (${count}): count / page / one-off`,
    `${countMs.toFixed(1)} / ${pageMs.toFixed(1)} / ${oneOffMs.toFixed(1)} ms`,
  );
}

const deep = Math.floor(rows / 100 / 2);
for (const sort of subscriptionSorts) {
  listsChanged();
  const [, firstMs] = timed(() => listPage(ctx.db, app.id, {}, sort, deep));
  const [, nextMs] = timed(() => listPage(ctx.db, app.id, {}, sort, deep + 1));
  const [, filteredMs] = timed(() => listPage(ctx.db, app.id, { tags: ['news'] }, sort, deep / 4));
  line(
    `${sort}: page ${deep} / next / "news" page ${deep / 4}`,
    `${firstMs.toFixed(0)} / ${nextMs.toFixed(0)} / ${filteredMs.toFixed(0)} ms`,
  );
}
console.log(`load average at the end: ${loadAverage()}`);
ctx.db.close();
if (!keep) fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
