// `npm run bench:ui`: the built window in Chromium against 1,000,000 subscriptions (BENCH_ROWS), wired to the
// real handler table and query threads as the end-to-end tests are. Each action is timed in the page (a
// window.api call, or a click until its result shows), with the main loop's longest stall (wall clock, and
// its thread's busiest turn in CPU time) and the longest wait of a read the page asks for meanwhile every
// 100 ms. Screenshots of a dry run and an export under way go to test-results/. Figures, not assertions:
// run `npm run build` first, on a machine as quiet as can be had, and report what it prints.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { endpointHash } from '../../src/main/core/subscriptions/endpoint-hash.ts';
import { createSortIndexes, dropSortIndexes } from '../../src/main/core/subscriptions/sort-indexes.ts';
import { launchChromium, openApp, screenshotDir } from '../e2e/harness.ts';
import { startStallProbe } from '../support/main-loop-stall.ts';
import { benchContext, createBenchApp, userAgentKeys } from './send-support.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const services = ['fcm', 'fcm', 'fcm', 'apple', 'mozilla', 'wns'];
const hosts: Record<string, string> = {
  fcm: 'https://fcm.googleapis.com/fcm/send/',
  apple: 'https://web.push.apple.com/',
  mozilla: 'https://updates.push.services.mozilla.com/wpush/v2/',
  wns: 'https://wns2-par02p.notify.windows.com/w/?token=',
};
const cities = ['Berlin', 'Paris', 'Lisbon', 'Oslo', 'Rome'];

// The database: one real key pair for all (each message is still encrypted afresh), as bench:send does.
const { ctx: seedCtx, dir } = benchContext('ui-');
const shop = createBenchApp(seedCtx);
const keys = userAgentKeys();
const t0 = performance.now();
seedCtx.db.exec(dropSortIndexes());
const insert = seedCtx.db.prepare(
  `INSERT INTO subscriptions (id, app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, label,
     fields, status, created_at, updated_at, last_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
);
seedCtx.db.transaction(() => {
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
seedCtx.db.exec(createSortIndexes());
seedCtx.db.pragma('optimize');
const dbPath = seedCtx.dbPath;
seedCtx.db.close();
console.log(
  `seeded ${rows.toLocaleString('en')} subscriptions in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`,
);

const exportFile = path.join(dir, 'all-subscriptions.csv');
const browser = await launchChromium();
const session = await openApp(browser, {
  dbPath,
  context: { chooseSaveFile: () => Promise.resolve(exportFile) },
});
const { page, ctx } = session;
page.setDefaultTimeout(15 * 60_000);

interface Figures {
  ms: number;
  stallMs: number;
  busyMs: number | null;
  readWaitMs: number;
  reads: number;
  peakRssMb: number;
}

/** Asks the page for a count every 100 ms while `run` goes on, and reports the longest answer. */
async function startReads(p: Page, appId: number): Promise<void> {
  await p.evaluate((appId) => {
    const state = { stop: false, max: 0, n: 0 };
    (window as unknown as { __benchReads: typeof state }).__benchReads = state;
    void (async () => {
      while (!state.stop) {
        const t = performance.now();
        // A light read (the list's first page): what it waits is the wait, not its own work.
        await window.api.invoke('subscriptions.page', { appId, filter: {}, sort: 'newest', page: 0 });
        state.max = Math.max(state.max, performance.now() - t);
        state.n++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
  }, appId);
}

async function stopReads(p: Page): Promise<{ max: number; n: number }> {
  return p.evaluate(() => {
    const state = (window as unknown as { __benchReads: { stop: boolean; max: number; n: number } })
      .__benchReads;
    state.stop = true;
    return { max: state.max, n: state.n };
  });
}

const results: Array<[string, Figures]> = [];

async function measure(name: string, run: () => Promise<number>): Promise<void> {
  await startReads(page, shop.id);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const probe = startStallProbe();
  const ms = await run();
  const { maxStallMs, maxBusyMs } = probe.stop();
  clearInterval(sampler);
  const reads = await stopReads(page);
  const figures = {
    ms,
    stallMs: maxStallMs,
    busyMs: maxBusyMs,
    readWaitMs: reads.max,
    reads: reads.n,
    peakRssMb: peakRss / 2 ** 20,
  };
  results.push([name, figures]);
  console.log(
    `${name.padEnd(46)} ${ms.toFixed(0).padStart(8)} ms  stall ${figures.stallMs.toFixed(0).padStart(4)} ms  busy ${(figures.busyMs ?? NaN).toFixed(0).padStart(3)} ms  read wait ${figures.readWaitMs.toFixed(0).padStart(5)} ms (${figures.reads})  rss ${figures.peakRssMb.toFixed(0)} MB`,
  );
}

function name(channel: string, input: unknown): string {
  const { sort, page: n, filter } = input as { sort?: string; page?: number; filter?: { search?: string } };
  if (channel !== 'subscriptions.page') return channel;
  return filter?.search ? `search "${filter.search}"` : `page ${n} sorted by ${sort}`;
}

/** A window.api call timed in the page. */
const invoke = (channel: string, input: unknown) =>
  measure(name(channel, input), () =>
    page.evaluate(
      async ([c, i]) => {
        const t = performance.now();
        const envelope = (await window.api.invoke(c as never, i as never)) as { ok: boolean };
        if (!envelope.ok) throw new Error(JSON.stringify(envelope));
        return performance.now() - t;
      },
      [channel, input] as const,
    ),
  );

/** From a click to `done` showing, timed in the page. */
async function clickUntil(
  name: string,
  click: () => Promise<void>,
  done: () => Promise<void>,
  shot?: string,
) {
  await measure(name, async () => {
    const start = await page.evaluate(() => performance.now());
    await click();
    // The screenshot's own time is left out of the figure.
    let shotMs = 0;
    if (shot) {
      // Once it has told its first progress: "n of N".
      await page.getByTestId(shot).getByText(/ of /).waitFor();
      const t = performance.now();
      await page.waitForTimeout(300);
      await session.screenshot(`bench-ui-${shot}`);
      shotMs = performance.now() - t;
    }
    await done();
    return (await page.evaluate(() => performance.now())) - start - shotMs;
  });
}

const options = {
  ttl: 86_400,
  urgency: 'normal',
  concurrency: 64,
  perOriginConcurrency: 64,
  timeoutMs: 30_000,
  maxAttempts: 5,
  retryBaseMs: 1_000,
  retryAfterCapMs: 120_000,
  workers: 0,
};
const deep = Math.floor(rows / 200);
const page5000 = (sort: string, n = deep) => ({ appId: shop.id, filter: {}, sort, page: n });
await invoke('subscriptions.count', { appId: shop.id, filter: {} });
for (const sort of ['endpoint', 'pushService', 'lastAttempt', 'label']) {
  await invoke('subscriptions.page', page5000(sort));
  await invoke('subscriptions.page', page5000(sort, deep + 1));
}
await invoke('subscriptions.page', {
  appId: shop.id,
  filter: { search: 'Customer 4242' },
  sort: 'newest',
  page: 0,
});
await invoke('compose.preview', {
  appId: shop.id,
  message: { format: 'notification', notification: { title: 'Hi {{first_name}} in {{city}}' } },
  audience: {},
  options,
});
await invoke('compose.preview', {
  appId: shop.id,
  message: { format: 'notification', notification: { title: 'Hello {{first_name}} in {{city}}' } },
  audience: {},
  options,
});
await invoke('subscriptions.tag', { appId: shop.id, selection: { filter: {} }, add: ['everyone'] });

// Export all as CSV from the Subscriptions page.
await page.getByRole('link', { name: /^Subscriptions/ }).click();
await page.getByTestId('subscription-count').waitFor();
await clickUntil(
  'export all (CSV, from the window)',
  async () => {
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'CSV' }).click();
  },
  () => page.getByText(/^Exported .* subscriptions to /).waitFor(),
  'export-progress',
);
const lines = await new Promise<number>((resolve) => {
  let n = 0;
  fs.createReadStream(exportFile)
    .on('data', (chunk: string | Buffer) => {
      for (const byte of Buffer.from(chunk)) if (byte === 10) n++;
    })
    .on('end', () => resolve(n));
});
console.log(
  `export file: ${lines - 1} rows (expected ${rows}), ${(fs.statSync(exportFile).size / 2 ** 20).toFixed(0)} MiB`,
);

// A dry run of the whole list from a draft's page.
const draft = createCampaign(ctx, {
  appId: shop.id,
  name: 'Everyone',
  message: {
    format: 'notification',
    notification: { title: 'Hi {{first_name}}', body: 'See you in {{city}}' },
  },
  audience: {},
}).campaign.id;
await page.evaluate((id) => (window.location.hash = `#/campaigns/${id}`), draft);
await page.getByRole('button', { name: 'Dry run' }).waitFor();
await clickUntil(
  'dry run of the whole list (from the window)',
  () => page.getByRole('button', { name: 'Dry run' }).click(),
  () => page.getByTestId('dry-run-report').waitFor(),
  'dry-run-progress',
);
console.log(`dry run: ${(await page.getByTestId('dry-run-report').textContent())?.slice(0, 120)}`);
console.log(`screenshots in ${screenshotDir}`);

await session.close();
await browser.close();
fs.rmSync(dir, { recursive: true, force: true });
