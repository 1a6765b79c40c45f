// Each channel's declaration is the one list: the query thread's table comes from its placement, and the
// door tells the window what it declares it changes, once per call, whatever the handler did.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { threadedChannels } from '../../../../src/main/core/query-thread.ts';
import { channel, changeScopes } from '../../../../src/shared/channel.ts';
import type { PushdeckApi } from '../../../../src/shared/api.ts';
import { channelNames, channels, type WindowChannelName } from '../../../../src/shared/contract.ts';
import { composeChannels } from '../../../../src/shared/compose.ts';
import { z } from 'zod';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';

const changes = (ctx: ReturnType<typeof testContext>) =>
  ctx.recorded.filter((e) => e.event === 'data.changed').map((e) => e.payload);

describe('channel declarations', () => {
  it('place on the query thread the composer, the list’s reads and bulk actions, and the campaigns’ reads', () => {
    expect([...threadedChannels].sort()).toEqual(
      [
        ...Object.keys(composeChannels),
        'apps.snippet',
        'subscriptions.page',
        'subscriptions.count',
        'subscriptions.facets',
        'subscriptions.detail',
        'subscriptions.tag',
        'subscriptions.delete',
        'subscriptions.restore',
        'subscriptions.trash.empty',
        'subscriptions.bulk.start',
        'campaigns.list',
        'campaigns.get',
        'campaigns.deliveries',
      ].sort(),
    );
  });

  it('default to main and no change, and name only the renderer’s key roots', () => {
    const declared = channel(z.object({})).returns<null>();
    expect(declared).toMatchObject({ placement: 'main', changes: [] });
    expect(channels['doctor.report']).toMatchObject({ placement: 'main', changes: [] });
    expect(channels['campaigns.send']).toMatchObject({ placement: 'sending', changes: [] });
    expect(channels['templates.save']).toMatchObject({ placement: 'query', changes: ['templates'] });
    for (const name of channelNames) {
      for (const scope of channels[name].changes) expect(changeScopes).toContain(scope);
    }
  });

  it('make the door tell the window once what a call changed, after a success and after a failure', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const handlers = createHandlers(ctx);
    ctx.recorded.length = 0;
    await dispatch(handlers, 'apps.setSubject', { appId: app.id, subject: 'mailto:ops@example.com' });
    expect(changes(ctx)).toEqual([{ scopes: ['apps'] }]);

    ctx.recorded.length = 0;
    const failed = await dispatch(handlers, 'apps.setSubject', {
      appId: app.id + 99,
      subject: 'mailto:a@b.example',
    });
    expect(failed).toMatchObject({ ok: false, error: { code: 'APP_NOT_FOUND' } });
    expect(changes(ctx)).toEqual([{ scopes: ['apps'] }]);

    ctx.recorded.length = 0;
    await dispatch(handlers, 'apps.setSubject', { appId: 'seven' });
    await dispatch(handlers, 'apps.list', {});
    expect(changes(ctx)).toEqual([]);
  });

  it('make a send refused before its start tell the window: its draft came and went, and the log has both', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const handlers = createHandlers(ctx);
    ctx.recorded.length = 0;
    const refused = await dispatch(handlers, 'campaigns.sendNow', {
      appId: app.id,
      message: { format: 'none' },
      audience: { tagsAny: ['nobody-has-this'] },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUDIENCE_EMPTY' } });
    expect(changes(ctx)).toEqual([{ scopes: ['campaigns', 'audit'] }]);
    const logged = ctx.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'campaign.%' ORDER BY id")
      .pluck();
    expect(logged.all()).toEqual(['campaign.create', 'campaign.delete']);
  });

  it('leave the CLI-only channels out of the window’s API type, as the door refuses them at run time', () => {
    const cliOnly = channelNames.filter((name) => channels[name].callers === 'cli');
    expect(cliOnly.sort()).toEqual([
      'db.backup',
      'keys.exportText',
      'subscriptions.exportPath',
      'subscriptions.importPath',
    ]);
    // Checked by the type check `npm test` runs first: each line fails it if the type lets the call through.
    expectTypeOf<'keys.exportText'>().not.toExtend<WindowChannelName>();
    expectTypeOf<'subscriptions.importPath'>().not.toExtend<WindowChannelName>();
    expectTypeOf<'apps.snippet'>().toExtend<WindowChannelName>();
    const invoke = (() => Promise.resolve({ ok: true, result: null })) as unknown as PushdeckApi['invoke'];
    // @ts-expect-error the window cannot name a CLI-only channel
    void invoke('db.backup', { path: '/tmp/x.db' });
  });
});
