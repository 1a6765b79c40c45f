// Emptying the trash keeps the campaigns' history: the deliveries of purged subscriptions stay, detached,
// with the endpoint's hash and the outcome (issue 12, item 2; migration 007), in new and upgraded files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { sendCampaign, startRetryFailed } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail, deliveriesPage } from '../../../../src/main/core/campaigns/results.ts';
import { writeResultsFile } from '../../../../src/main/core/results-export/results-file.ts';
import { latestSchemaVersion, openDatabase, schemaVersion } from '../../../../src/main/core/db/database.ts';
import { deleteSubscriptions, emptyTrash } from '../../../../src/main/core/subscriptions/bulk-actions.ts';
import { endpointHash } from '../../../../src/main/core/subscriptions/endpoint-hash.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { databaseAtSchema } from '../../../support/old-schema.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { draft, subscribe } from '../campaigns/fixtures.ts';

describe('emptying the trash', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  it("keeps a completed campaign's totals, breakdowns and deliveries, without the endpoints", async () => {
    const subs = await subscribe(ctx, app, service, [...Array(18).fill('ok'), '410', 'always-500']);
    const id = draft(ctx, app, { options: { maxAttempts: 1 } });
    await sendCampaign(ctx, id);
    const before = campaignDetail(ctx, id);
    expect(before.totals).toMatchObject({ recipients: 20, delivered: 18, expired: 1, failed: 1 });

    const stored = new Map(
      (
        ctx.db.prepare('SELECT id, endpoint_hash FROM subscriptions').all() as Array<{
          id: number;
          endpoint_hash: number;
        }>
      ).map((row) => [row.id, row.endpoint_hash]),
    );
    deleteSubscriptions(ctx, app.id, { filter: {} });
    expect(emptyTrash(ctx, app.id)).toBe(20);
    expect(ctx.db.prepare('SELECT count(*) FROM subscriptions').pluck().get()).toBe(0);

    const after = campaignDetail(ctx, id);
    expect(after.totals).toStrictEqual(before.totals);
    expect(after.byStatus).toStrictEqual(before.byStatus);
    expect(after.byPushService).toStrictEqual(before.byPushService);
    const page = deliveriesPage(ctx, { id, limit: 100 });
    expect(page.items).toHaveLength(20);
    expect(page.items.map((d) => d.subscriptionId).sort((a, b) => a - b)).toStrictEqual(
      subs.map((s) => -s.dbId).sort((a, b) => a - b),
    );
    expect(new Set(page.items.map((d) => d.endpoint))).toStrictEqual(new Set(['']));
    expect(page.items.filter((d) => d.state === 'sent')).toHaveLength(18);
    const hashes = ctx.db
      .prepare('SELECT -subscription_id AS id, endpoint_hash FROM deliveries WHERE campaign_id = ?')
      .all(id) as Array<{ id: number; endpoint_hash: number }>;
    expect(hashes).toHaveLength(20);
    for (const row of hashes) expect(row.endpoint_hash).toBe(stored.get(row.id));

    const file = path.join(tempDir(), 'results.csv');
    expect(await writeResultsFile(ctx, id, 'csv', file)).toBe(20);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(service.origin);
    // Nothing is left to retry: the failed one has nowhere to go.
    expect(() => startRetryFailed(ctx, id)).toThrow(expect.objectContaining({ code: 'NOTHING_TO_RETRY' }));
  });

  it('upgrades a schema-6 file in place, keeping its journal, and keeps it from then on', () => {
    const file = path.join(tempDir(), 'v6.db');
    const raw = databaseAtSchema(file, 6);
    const endpoints = [1, 2, 3].map((n) => `https://push.example/${n}?q=${n}`);
    raw.exec(`
      INSERT INTO apps (id, name, subject, created_at, updated_at) VALUES (1, 'a.example', 'mailto:a@a.example', 1, 1);
      INSERT INTO campaigns (id, app_id, name, state, message, audience, options, created_at, updated_at)
        VALUES (7, 1, 'Spring', 'paused', '{}', '{}', '{}', 1, 1);
    `);
    const insert = raw.prepare(
      `INSERT INTO subscriptions (id, app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at, deleted_at)
       VALUES (?, 1, ?, ?, 'k', 'a', 'mozilla', 1, 1, 5)`,
    );
    endpoints.forEach((endpoint, i) => insert.run(i + 1, endpoint, endpointHash(endpoint)));
    raw.exec(`
      INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, outcome, http_status, attempts, latency_ms, updated_at)
        VALUES (7, 1, 'sent', 'mozilla', 'delivered', 201, 1, 12, 2),
               (7, 2, 'pending', 'mozilla', NULL, NULL, 0, NULL, 2),
               (7, 3, 'retrying', 'mozilla', 'transient', 503, 1, 30, 2);
    `);
    raw.close();

    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(latestSchemaVersion);
      expect(db.prepare('SELECT count(*) FROM deliveries WHERE campaign_id = 7').pluck().get()).toBe(3);
      db.prepare("UPDATE campaigns SET results_summary = '{}' WHERE id = 7").run();
      db.prepare('DELETE FROM subscriptions WHERE app_id = 1').run();
      // The journal stays; it changed (detached), so the stored summary is dropped.
      expect(db.prepare('SELECT results_summary FROM campaigns WHERE id = 7').pluck().get()).toBeNull();
      expect(
        db
          .prepare(
            'SELECT subscription_id, state, outcome, http_status, reason, endpoint_hash FROM deliveries ORDER BY subscription_id DESC',
          )
          .all(),
      ).toStrictEqual([
        {
          subscription_id: -1,
          state: 'sent',
          outcome: 'delivered',
          http_status: 201,
          reason: null,
          endpoint_hash: endpointHash(endpoints[0]!),
        },
        {
          subscription_id: -2,
          state: 'failed',
          outcome: 'not-sent',
          http_status: null,
          reason: 'subscription deleted before it was sent to',
          endpoint_hash: endpointHash(endpoints[1]!),
        },
        {
          subscription_id: -3,
          state: 'failed',
          outcome: 'not-sent',
          http_status: 503,
          reason: 'subscription deleted before it was sent to',
          endpoint_hash: endpointHash(endpoints[2]!),
        },
      ]);
      // The campaign itself still goes with its app.
      db.prepare('DELETE FROM apps WHERE id = 1').run();
      expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
