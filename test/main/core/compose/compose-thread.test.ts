// The composer's channels answered on their own thread (as the desktop app runs them): the same answers as
// in place, change events passed on to the main process, errors with their codes, and counts that follow
// writes made by the main process's connection.
import { afterEach, describe, expect, it } from 'vitest';
import { startComposeThread, type ComposeThread } from '../../../../src/main/core/compose/compose-thread.ts';
import { countAudienceSql } from '../../../../src/main/core/compose/audience.ts';
import { dispatch } from '../../../../src/main/dispatch.ts';
import { createHandlers } from '../../../../src/main/handlers.ts';
import type { AudienceFilter } from '../../../../src/shared/compose.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertSubscriptions } from './subscription-rows.ts';

const threads: ComposeThread[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.close()));
});

function setup() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  insertSubscriptions(ctx, app.id, [
    { tags: ['vip'], pushService: 'fcm' },
    { tags: ['vip', 'news'], pushService: 'mozilla' },
    { tags: ['news'], pushService: 'apple' },
    { tags: [], pushService: 'fcm', status: 'expired' },
  ]);
  const thread = startComposeThread(ctx);
  threads.push(thread);
  const onThread = createHandlers(ctx, { composeThread: thread });
  const inPlace = createHandlers(ctx);
  return { ctx, app, onThread, inPlace };
}

describe('the compose thread', () => {
  it('counts and previews as the in-place handlers do, and follows the main connection’s writes', async () => {
    const { ctx, app, onThread, inPlace } = setup();
    const filters: AudienceFilter[] = [
      {},
      { tagsAny: ['vip'] },
      { tagsAll: ['vip', 'news'] },
      { tagsNone: ['vip'] },
    ];
    for (const audience of filters) {
      const threaded = await dispatch(onThread, 'compose.count', { appId: app.id, audience });
      expect(threaded).toEqual(await dispatch(inPlace, 'compose.count', { appId: app.id, audience }));
      expect(threaded).toEqual({ ok: true, result: countAudienceSql(ctx, app.id, audience) });
    }
    const request = {
      appId: app.id,
      message: { format: 'notification', notification: { title: 'Hi {{label|there}}', body: 'News' } },
      audience: { tagsAny: ['news'] },
      options: { ttl: 3600 },
    };
    const preview = await dispatch(onThread, 'compose.preview', request);
    expect(preview.ok).toBe(true);
    expect(preview).toEqual(await dispatch(inPlace, 'compose.preview', request));
    expect(await dispatch(onThread, 'compose.tags', { appId: app.id })).toEqual({
      ok: true,
      result: ['news', 'vip'],
    });

    // Written by the main process's connection: the thread's connection sees it on the next count.
    insertSubscriptions(ctx, app.id, [{ tags: ['vip'] }, { tags: ['vip'] }]);
    const after = await dispatch(onThread, 'compose.count', {
      appId: app.id,
      audience: { tagsAny: ['vip'] },
    });
    expect(after).toMatchObject({ ok: true, result: { recipients: 4 } });
  });

  it('saves templates there, passes its change events on, and keeps error codes', async () => {
    const { ctx, app, onThread, inPlace } = setup();
    const saved = await dispatch(onThread, 'templates.save', {
      appId: app.id,
      name: 'Welcome',
      message: { format: 'notification', notification: { title: 'Hello {{name|there}}' } },
    });
    expect(saved.ok).toBe(true);
    expect(ctx.recorded).toContainEqual({ event: 'data.changed', payload: { scopes: ['templates'] } });
    // The main connection reads what the thread wrote.
    const listed = await dispatch(inPlace, 'templates.list', { appId: app.id });
    expect(listed).toMatchObject({ ok: true, result: [{ name: 'Welcome' }] });

    const missing = await dispatch(onThread, 'templates.get', { id: 9999 });
    expect(missing).toEqual(await dispatch(inPlace, 'templates.get', { id: 9999 }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'TEMPLATE_NOT_FOUND' } });
  });

  it('starts a new thread when the old one is gone', async () => {
    const { app, onThread } = setup();
    const thread = threads[0]!;
    expect((await dispatch(onThread, 'compose.count', { appId: app.id, audience: {} })).ok).toBe(true);
    await thread.close();
    expect(await dispatch(onThread, 'compose.count', { appId: app.id, audience: {} })).toMatchObject({
      ok: true,
      result: { recipients: 3 },
    });
  });
});
