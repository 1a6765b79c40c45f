// Worker threads must be found both from the TypeScript sources and from the Electron bundle that
// `npm run build` writes to out/main (npm test builds before it tests).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../src/main/core/dispatch/handler-table.ts';
import { startQueryThread } from '../../src/main/core/query-thread.ts';
import { workerUrl } from '../../src/main/core/workers.ts';
import { testContext } from '../support/context.ts';
import { createTestApp } from '../support/fixtures.ts';

const bundle = path.resolve('out/main');

function bundleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? bundleFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    )
    .filter((file) => file.endsWith('.js'));
}

describe('workerUrl', () => {
  it('finds every worker that the sources start', () => {
    const sources = fs.globSync('src/main/**/*.ts');
    const calls = sources.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/workerUrl\(import\.meta\.url, '([\w-]+)'\)/g)].map((m) => ({
        file,
        name: m[1]!,
      })),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const { file, name } of calls) {
      expect(fs.existsSync(fileURLToPath(workerUrl(pathToFileURL(path.resolve(file)).href, name)))).toBe(
        true,
      );
    }
  });

  it('finds every worker that the Electron bundle starts, from index.js or from a shared chunk', () => {
    expect(fs.existsSync(path.join(bundle, 'index.js')), 'run `npm run build` first').toBe(true);
    const calls = bundleFiles(bundle).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/workerUrl\(import\.meta\.url, "([\w-]+)"\)/g)].map((m) => ({
        file,
        name: m[1]!,
      })),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const { file, name } of calls) {
      const target = fileURLToPath(workerUrl(pathToFileURL(file).href, name));
      expect(fs.existsSync(target), `${path.relative(bundle, file)} starts ${name}`).toBe(true);
    }
    // A call moved into out/main/chunks/ must still reach out/main/<name>.js.
    const fromChunk = workerUrl(pathToFileURL(path.join(bundle, 'chunks', 'x.js')).href, 'send-worker');
    expect(fileURLToPath(fromChunk)).toBe(path.join(bundle, 'send-worker.js'));
  });

  it('starts the threads from the built bundle where PUSHDECK_WORKER_BUNDLE names one (bench:ui)', async () => {
    const starter = pathToFileURL(path.resolve('src/main/core/query-lanes.ts')).href;
    vi.stubEnv('PUSHDECK_WORKER_BUNDLE', bundle);
    try {
      expect(fileURLToPath(workerUrl(starter, 'query-worker'))).toBe(path.join(bundle, 'query-worker.js'));
      const ctx = testContext();
      const app = createTestApp(ctx);
      ctx.db
        .prepare(
          `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, label, created_at, updated_at)
           VALUES (?, 'https://fcm.googleapis.com/fcm/send/bundle', 7, 'k', 'a', 'fcm', 'Ada Bundle', 1, 1)`,
        )
        .run(app.id);
      const thread = startQueryThread(ctx);
      try {
        // A search: answered on a reads thread, never in place by main (list-query.ts isLightRead).
        const input = { appId: app.id, filter: { search: 'bundle' }, sort: 'newest', page: 0 };
        const there = await dispatch(
          createHandlers(ctx, { queryThread: thread }),
          'subscriptions.page',
          input,
        );
        const here = await dispatch(createHandlers(ctx), 'subscriptions.page', input);
        expect(there).toMatchObject({ ok: true });
        expect(JSON.stringify(there)).toContain('Ada Bundle');
        expect(there).toEqual(here);
      } finally {
        await thread.close();
        ctx.db.close();
      }
    } finally {
      vi.unstubAllEnvs();
    }
    expect(fileURLToPath(workerUrl(starter, 'query-worker'))).toBe(
      path.resolve('src/main/core/query-worker.ts'),
    );
  });
});
