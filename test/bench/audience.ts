// `npm run bench:audience`: the composer's live recipient count over 1,000,000 subscriptions (target ≤ 50 ms
// per count), plus the sample, search and payload measure behind the preview; then the same through the
// query thread, with the main process's longest stall meanwhile. Figures, not assertions: the
// machine is shared, so run it once on a quiet machine and report what it prints.
import fs from 'node:fs';
import type { AudienceFilter, MessageSpec } from '../../src/shared/compose.ts';
import {
  countAudience,
  countAudienceSql,
  sampleRecipient,
  searchSubscriptions,
} from '../../src/main/core/compose/audience.ts';
import { measureAudience } from '../../src/main/core/compose/placeholder-scan.ts';
import { composePreview } from '../../src/main/core/compose/preview.ts';
import { startQueryThread } from '../../src/main/core/query-thread.ts';
import { dispatch } from '../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../src/main/core/dispatch/handler-table.ts';
import { benchContext, createBenchApp } from './send-support.ts';
import { median, timed } from './timing.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const { ctx, dir } = benchContext('audience-');
const app = createBenchApp(ctx);
const day = 86_400_000;
const start = Date.UTC(2025, 0, 1);
const services = ['fcm', 'fcm', 'fcm', 'apple', 'mozilla', 'wns'];

const [, seedMs] = timed(() => {
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, fields, status,
       created_at, updated_at, deleted_at, last_success_at) VALUES (?, ?, ?, ?, 'k', 'a', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = (name: string) =>
    Number(ctx.db.prepare('INSERT INTO tags (app_id, name) VALUES (?, ?)').run(app.id, name).lastInsertRowid);
  const vip = tag('vip');
  const news = tag('newsletter');
  const test = tag('test-device');
  const link = ctx.db.prepare('INSERT INTO subscription_tags (tag_id, subscription_id) VALUES (?, ?)');
  ctx.db.transaction(() => {
    for (let i = 1; i <= rows; i++) {
      const created = start + (i % 365) * day;
      insert.run(
        i,
        app.id,
        `https://fcm.googleapis.com/fcm/send/bench-${i.toString(36)}-${'x'.repeat(120)}`,
        i,
        services[i % services.length],
        i % 2 ? `Customer ${i}` : null,
        i % 3 ? JSON.stringify({ first_name: `Name${i}`, plan: i % 7 ? 'free' : 'pro' }) : null,
        i % 20 === 0 ? 'expired' : 'active',
        created,
        created,
        i % 100 === 1 ? created : null,
        i % 5 < 3 ? created + 30 * day : null,
      );
      if (i % 10 === 0) link.run(vip, i);
      if (i % 2 === 0) link.run(news, i);
      if (i <= 5) link.run(test, i);
    }
  })();
  ctx.db.pragma('optimize');
});
console.log(`seeded ${rows.toLocaleString('en')} subscriptions in ${(seedMs / 1000).toFixed(1)} s (${dir})`);

const line = (name: string, ms: number, extra = '') =>
  console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${extra}`);

const [, buildMs] = timed(() => countAudience(ctx, app.id, {}));
line('first count (builds the in-memory index)', buildMs);
const [, firstTagMs] = timed(() => countAudience(ctx, app.id, { tagsAny: ['newsletter'] }));
line('first count with a 50% tag (loads the tag)', firstTagMs);
const sqlAll = median(() => countAudienceSql(ctx, app.id, {}), 3);
line('for comparison, SQL count: all active', sqlAll);
line(
  'for comparison, SQL count: tag newsletter',
  median(() => countAudienceSql(ctx, app.id, { tagsAny: ['newsletter'] }), 3),
);

const filters: Array<[string, AudienceFilter]> = [
  ['count: all active', {}],
  ['count: push service apple', { pushServices: ['apple'] }],
  ['count: created in a 30-day range', { createdFrom: start + 100 * day, createdTo: start + 130 * day }],
  ['count: last success after a date', { lastSuccessFrom: start + 300 * day }],
  ['count: test devices', { testDevices: true }],
  ['count: tag any vip (10%)', { tagsAny: ['vip'] }],
  ['count: tag any newsletter (50%)', { tagsAny: ['newsletter'] }],
  ['count: tags all vip+newsletter', { tagsAll: ['vip', 'newsletter'] }],
  ['count: tag none newsletter', { tagsNone: ['newsletter'] }],
  [
    'count: vip + apple + created range',
    { tagsAny: ['vip'], pushServices: ['apple'], createdFrom: start + 100 * day },
  ],
];
for (const [name, filter] of filters) {
  const recipients = countAudience(ctx, app.id, filter).recipients;
  line(
    name,
    median(() => countAudience(ctx, app.id, filter)),
    `${recipients.toLocaleString('en')} recipients`,
  );
}

line(
  'sample subscriber (all)',
  median(() => sampleRecipient(ctx, app.id, {})),
);
line(
  'search label "Customer 99999"',
  median(() => searchSubscriptions(ctx, app.id, 'Customer 99999'), 3),
);
const greeting: MessageSpec = {
  format: 'notification',
  notification: { title: 'Hi {{first_name|there}}', body: 'Plan {{plan}}' },
};
const all = countAudience(ctx, app.id, {}).recipients;
const [, firstMeasure] = timed(() => measureAudience(ctx, app.id, greeting, {}, all));
line('payload measure, 2 placeholders (SQL bound)', firstMeasure);
line(
  '  same audience again (cached maxima)',
  median(() => measureAudience(ctx, app.id, greeting, {}, all)),
);
const request = { appId: app.id, message: greeting, audience: {}, options: { ttl: 3600 } };
line(
  'preview (count, sample, measure, checks)',
  median(() => composePreview(ctx, request)),
);
const testers = countAudience(ctx, app.id, { testDevices: true }).recipients;
line(
  'payload measure, test devices (exact)',
  median(() => measureAudience(ctx, app.id, greeting, { testDevices: true }, testers), 3),
);

// As the desktop app runs them: on the composer's thread, while the main process keeps its event loop. The
// longest gap between main's timer ticks is how long the window's other requests would have waited.
async function mainStall<T>(run: () => Promise<T>): Promise<[T, number, number]> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  clearInterval(ticker);
  return [result, ms, Math.max(longest, performance.now() - last)];
}
const thread = startQueryThread(ctx);
const handlers = createHandlers(ctx, { queryThread: thread });
console.log('\nThrough the query thread (a fresh thread: it builds its own index):');
for (const [name, run] of [
  [
    'first count (builds the index there)',
    () => dispatch(handlers, 'compose.count', { appId: app.id, audience: {} }),
  ],
  [
    'first count with a 50% tag',
    () => dispatch(handlers, 'compose.count', { appId: app.id, audience: { tagsAny: ['newsletter'] } }),
  ],
  ['first preview (payload measure)', () => dispatch(handlers, 'compose.preview', request)],
  [
    'subscription list: first page sorted by label',
    () => dispatch(handlers, 'subscriptions.page', { appId: app.id, filter: {}, sort: 'label', page: 0 }),
  ],
  [
    'subscription list: search "Customer 4242"',
    () =>
      dispatch(handlers, 'subscriptions.page', {
        appId: app.id,
        filter: { search: 'Customer 4242' },
        sort: 'newest',
        page: 0,
      }),
  ],
  [
    'count again',
    () => dispatch(handlers, 'compose.count', { appId: app.id, audience: { tagsAny: ['vip'] } }),
  ],
] as const) {
  const [envelope, ms, stall] = await mainStall(run);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  line(name, ms, `main's longest stall ${stall.toFixed(1)} ms (in place it would be the whole call)`);
}
// The list's bulk actions over the whole list, on the thread too: delete (to the trash), undo, empty it.
// Meanwhile main writes a row every 20 ms, as the window's own writes (a draft, a setting) would: they
// wait for the thread's transaction in progress, and main's event loop with them. The longest such wait
// is what chunking the actions (BULK_CHUNK) bounds.
ctx.db.exec('CREATE TABLE bench_main_writes (at REAL)');
const mainWrite = ctx.db.prepare('INSERT INTO bench_main_writes (at) VALUES (?)');
let longestWrite = 0;
const writer = setInterval(() => {
  const t0 = performance.now();
  mainWrite.run(t0);
  longestWrite = Math.max(longestWrite, performance.now() - t0);
}, 20);
const writeWait = () => {
  const longest = longestWrite;
  longestWrite = 0;
  return `, its longest write ${longest.toFixed(1)} ms`;
};
const deleteAll = await mainStall(() =>
  dispatch(handlers, 'subscriptions.delete', { appId: app.id, selection: { filter: {} } }),
);
const deleteWait = writeWait();
const undo = deleteAll[0].ok ? (deleteAll[0].result as { deletedAt: number }).deletedAt : 0;
for (const [name, [envelope, ms, stall], waited] of [
  ['bulk delete of the whole list (to the trash)', deleteAll, deleteWait],
  [
    'undo it (restore)',
    await mainStall(() => dispatch(handlers, 'subscriptions.restore', { appId: app.id, deletedAt: undo })),
    writeWait(),
  ],
  [
    'delete it again, then empty the trash',
    await mainStall(async () => {
      await dispatch(handlers, 'subscriptions.delete', { appId: app.id, selection: { filter: {} } });
      return dispatch(handlers, 'subscriptions.trash.empty', { appId: app.id });
    }),
    writeWait(),
  ],
] as const) {
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  line(name, ms, `main's longest stall ${stall.toFixed(1)} ms${waited}`);
}
clearInterval(writer);
await thread.close();
ctx.db.close();
fs.rmSync(dir, { recursive: true, force: true });
