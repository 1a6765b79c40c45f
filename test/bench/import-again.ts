// A child of `npm run bench:import`: imports the same file again into the database it filled, in a fresh
// process (so that the figure is this import's own memory, not what the first one left behind), and prints
// one JSON line: the summary's counts, the time, and the peak RSS.
import { findApp } from '../../src/main/core/apps/apps.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';
import { importSubscriptions } from '../../src/main/core/subscriptions/import/service.ts';

const [dbPath, csv] = process.argv.slice(2);
const ctx = openContext({
  dbPath: dbPath!,
  mustExist: true,
  runtime: { pushdeckVersion: 'bench', electronVersion: null },
  keySealer: passphraseSealer('bench'),
});
const app = findApp(ctx, 'bench.example')!;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const started = performance.now();
const summary = await importSubscriptions(ctx, { appId: app.id, source: { path: csv! } });
const ms = performance.now() - started;
clearInterval(sampler);
ctx.db.close();
console.log(
  JSON.stringify({
    inserted: summary.inserted,
    updated: summary.updated,
    duplicates: summary.duplicates,
    ms,
    peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024),
  }),
);
