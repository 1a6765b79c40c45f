// Oversized requests get a clear answer, never a raw SQLite error or their own megabytes echoed back:
// long id lists are read through json_each, tag lists have limits in the shared schemas.
import { describe, expect, it } from 'vitest';
import { countAudienceSql } from '../../src/main/core/compose/audience.ts';
import { dispatch } from '../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../src/main/core/dispatch/handler-table.ts';
import { testContext } from '../support/context.ts';
import { createTestApp } from '../support/fixtures.ts';
import { insertSubscriptions } from './core/compose/subscription-rows.ts';

describe('oversized input', () => {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const ids = insertSubscriptions(ctx, app.id, [{ tags: ['a', 'b'] }, { tags: ['a'] }, {}]);
  const handlers = createHandlers(ctx);
  const call = (channel: unknown, input: unknown) =>
    dispatch(handlers, channel, input, { log: () => undefined });

  it('counts an audience of 40,000 chosen ids or endpoints (it gave "too many SQL variables")', async () => {
    const many = [...ids, ...Array.from({ length: 40_000 }, (_, i) => 1_000_000 + i)];
    expect(countAudienceSql(ctx, app.id, { subscriptionIds: many }).recipients).toBe(3);
    const endpoints = Array.from(
      { length: 40_000 },
      (_, i) => `https://fcm.googleapis.com/fcm/send/none-${i}`,
    );
    expect(await call('compose.count', { appId: app.id, audience: { endpoints } })).toMatchObject({
      ok: true,
      result: { recipients: 0 },
    });
    expect(countAudienceSql(ctx, app.id, { tagsAny: ['a', ...Array(2000).fill('x')] }).recipients).toBe(2);
  });

  it('refuses 2,000 tagsAll with a message that says the limit, in a count and in a saved segment', async () => {
    const tagsAll = Array.from({ length: 2000 }, (_, i) => `t${i}`);
    for (const [channel, input] of [
      ['compose.count', { appId: app.id, audience: { tagsAll } }],
      ['segments.save', { appId: app.id, name: 'Huge', filter: { tagsAll } }],
    ] as const) {
      const answer = await call(channel, input);
      expect(answer).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
      expect(JSON.stringify(answer)).toMatch(/at most 32 tags/);
      expect(JSON.stringify(answer)).not.toMatch(/Expression tree|SQL/);
    }
    expect(countAudienceSql(ctx, app.id, { tagsAll: ['a', 'b'] }).recipients).toBe(1);
  });

  it('never echoes a 10 MB channel name or key back', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const unknown = await call(huge, {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    expect(JSON.stringify(unknown).length).toBeLessThan(500);
    const badKey = await call('subscriptions.import.preview', { source: { text: '' }, [huge]: 1 });
    expect(badKey).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(JSON.stringify(badKey).length).toBeLessThan(2000);
  });
});
