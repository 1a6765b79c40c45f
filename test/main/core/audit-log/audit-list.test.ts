import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../../../src/main/core/audit-log/append.ts';
import { listAudit, listAuditActions } from '../../../../src/main/core/audit-log/audit-list.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';

describe('audit log view', () => {
  it('pages newest first by keyset until the end, without gaps or repeats', () => {
    const ctx = testContext();
    for (let i = 0; i < 25; i++) {
      appendAudit(ctx.db, 1_000 + i, { actor: 'cli', action: 'subs.import', details: { n: i } });
    }
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = listAudit(ctx, { limit: 10, before });
      pages++;
      seen.push(...page.entries.map((e) => e.details.n as number));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    ctx.db.close();
  });

  it('filters by exact action, by action family and by app, and names the app', () => {
    const ctx = testContext();
    const app = createTestApp(ctx, 'shop.example');
    const other = createTestApp(ctx, 'blog.example');
    appendAudit(ctx.db, 10, { actor: 'app', action: 'campaign.send', appId: app.id, subject: 'Sale' });
    appendAudit(ctx.db, 11, { actor: 'cli', action: 'key.rotate', appId: other.id });
    appendAudit(ctx.db, 12, { actor: 'app', action: 'key_x', appId: app.id });

    expect(listAudit(ctx, { action: 'campaign.send', limit: 100 }).entries.map((e) => e.subject)).toEqual([
      'Sale',
    ]);
    // `key.` is a family (key.create from createApp, key.rotate), and `_` is not a LIKE wildcard here.
    expect(listAudit(ctx, { action: 'key.', limit: 100 }).entries.map((e) => e.action)).toEqual([
      'key.rotate',
      'key.create',
      'key.create',
    ]);
    const shop = listAudit(ctx, { appId: app.id, limit: 100 }).entries;
    expect(shop.map((e) => e.action)).toEqual(['key_x', 'campaign.send', 'key.create']);
    expect(shop.every((e) => e.appName === 'shop.example')).toBe(true);
    expect(listAuditActions(ctx)).toEqual(['campaign.send', 'key.create', 'key.rotate', 'key_x']);
    ctx.db.close();
  });

  it('is reachable over the contract, which validates the page size', async () => {
    const ctx = testContext();
    appendAudit(ctx.db, 10, { actor: 'app', action: 'subs.delete', details: { count: 3 } });
    const handlers = createHandlers(ctx);
    const ok = await dispatch(handlers, 'audit.list', {});
    expect(ok).toMatchObject({
      ok: true,
      result: { entries: [{ action: 'subs.delete', details: { count: 3 } }] },
    });
    const bad = await dispatch(handlers, 'audit.list', { limit: 100_000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    ctx.db.close();
  });
});
