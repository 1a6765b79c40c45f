// `npm run bench:import`: imports 1,000,000 CSV rows with full validation into a fresh database, then
// times count by tag, the table's first page, a deep page and an export of the whole list. Figures, not
// assertions: the machine is shared, so run it once on a quiet machine and report what it prints.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/main/core/apps/apps.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';
import { exportToFile } from '../../src/main/core/subscriptions/export/list.ts';
import { importSubscriptions } from '../../src/main/core/subscriptions/import/service.ts';
import { countSubscriptions, listPage } from '../../src/main/core/subscriptions/list-query.ts';
import { writeCsvList } from './import-data.ts';
import { loadAverage, median, timed } from './timing.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const distinctKeys = Number(process.env.BENCH_KEYS ?? 2000);
const dir = path.join(os.tmpdir(), 'pushdeck-bench');
fs.mkdirSync(dir, { recursive: true });
const csv = path.join(dir, `subs-${rows}-${distinctKeys}.csv`);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const line = (name: string, value: string, target = '') =>
  console.log(`${name.padEnd(34)} ${value.padStart(12)}  ${target}`);

if (!fs.existsSync(csv)) {
  const [size, ms] = timed(() => writeCsvList(csv, { rows, distinctKeys }));
  console.log(
    `generated ${csv}: ${rows} rows, ${mb(size)}, ${distinctKeys} distinct real key pairs (${(ms / 1000).toFixed(1)} s)`,
  );
}

const dbPath = path.join(fs.mkdtempSync(path.join(dir, 'db-')), 'bench.db');
const ctx = openContext({
  dbPath,
  runtime: { pushdeckVersion: 'bench', electronVersion: null },
  keySealer: passphraseSealer('bench'),
});
const app = createApp(ctx, { name: 'bench.example', subject: 'mailto:bench@example.com' });

console.log(
  `Node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()} (shared machine: figures are noisy)`,
);
console.log(
  `${rows} rows, ${distinctKeys} distinct real key pairs reused across rows; every row is fully checked`,
);
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const importStart = performance.now();
const summary = await importSubscriptions(ctx, { appId: app.id, source: { path: csv } });
const importMs = performance.now() - importStart;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

line('rows read / inserted / rejected', `${summary.rows} / ${summary.inserted} / ${summary.rejected}`);
line('import (parse + validate + write)', `${(importMs / 1000).toFixed(1)} s`, 'target ≤ 20 s');
line('peak RSS of the process', mb(peakRss), 'target ≤ 400 MB');
line(
  'count by tag "news"',
  `${median(() => countSubscriptions(ctx.db, app.id, { tags: ['news'] })).toFixed(1)} ms`,
  'target ≤ 50 ms',
);
line('count all', `${median(() => countSubscriptions(ctx.db, app.id, {})).toFixed(1)} ms`);
line(
  'first page (newest)',
  `${median(() => listPage(ctx.db, app.id, {}, 'newest', 0)).toFixed(2)} ms`,
  'target ≤ 50 ms',
);
line(
  'first page, tag "news"',
  `${median(() => listPage(ctx.db, app.id, { tags: ['news'] }, 'newest', 0)).toFixed(2)} ms`,
);
const [, anchorsMs] = timed(() => listPage(ctx.db, app.id, {}, 'newest', 5000));
line('page 5000 (first time: anchors)', `${anchorsMs.toFixed(1)} ms`);
line(
  'page 9000 (anchors cached)',
  `${median(() => listPage(ctx.db, app.id, {}, 'newest', 9000)).toFixed(2)} ms`,
);
const exportFile = path.join(path.dirname(dbPath), 'export.csv');
const [{ count: exported }, exportMs] = timed(() => exportToFile(ctx.db, app.id, {}, 'csv', exportFile));
line(`export ${exported} rows to CSV`, `${(exportMs / 1000).toFixed(1)} s`, 'target ≤ 10 s');

// The same file again, in a fresh process (import-again.ts): every row is a duplicate (same endpoint, same
// keys), so nothing is written, but each row is still read, checked and looked up.
const again = JSON.parse(
  execFileSync(process.execPath, [path.resolve('test/bench/import-again.ts'), dbPath, csv], {
    encoding: 'utf8',
  }),
) as { inserted: number; updated: number; duplicates: number; ms: number; peakRss: number };
line('re-import: inserted / updated / dup', `${again.inserted} / ${again.updated} / ${again.duplicates}`);
line('re-import of the same file', `${(again.ms / 1000).toFixed(1)} s`);
line('peak RSS of the re-import process', mb(again.peakRss), 'target ≤ 400 MB');
console.log(`load average at the end: ${loadAverage()}`);
ctx.db.close();
fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
