import { describe, expect, it } from 'vitest';
import { audited } from '../../../../src/main/core/audit-log/audited.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp, createTestCampaign } from '../../../support/fixtures.ts';

const entries = (ctx: ReturnType<typeof testContext>) =>
  (
    ctx.db
      .prepare('SELECT actor, action, app_id, subject, details FROM audit_log ORDER BY id')
      .all() as Array<{
      details: string;
    }>
  ).map((row) => ({ ...row, details: JSON.parse(row.details) as unknown }));

describe('audited changes (the entry written where the channel is registered)', () => {
  it('commit the change and its entry together, or neither', () => {
    const ctx = testContext();
    ctx.db.exec('CREATE TABLE t (v TEXT)');
    const insert = (v: string) => ctx.db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
    const rows = () => ctx.db.prepare('SELECT v FROM t').pluck().all();
    const before = entries(ctx).length;

    expect(audited(ctx, (v: string) => ({ action: 'test.insert', subject: v }), insert)('a')).toBe(1);
    expect(rows()).toEqual(['a']);
    expect(entries(ctx).slice(before)).toEqual([
      { actor: 'app', action: 'test.insert', app_id: null, subject: 'a', details: {} },
    ]);

    // The entry cannot be made: the change goes too.
    const broken = audited(
      ctx,
      () => {
        throw new Error('no entry');
      },
      insert,
    );
    expect(() => broken('b')).toThrow('no entry');
    // The change fails: no entry.
    const failing = audited(
      ctx,
      () => ({ action: 'test.never' }),
      () => {
        insert('c');
        throw new Error('refused');
      },
    );
    expect(() => failing('c')).toThrow('refused');
    // Nothing changed: no entry.
    audited(
      ctx,
      () => null,
      () => 0,
    )('d');
    expect(rows()).toEqual(['a']);
    expect(entries(ctx)).toHaveLength(before + 1);
  });

  it('write the entries of the door’s simple changes as before, stamped with the caller', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const { campaign } = createTestCampaign(ctx, {
      appId: app.id,
      name: 'Spring sale',
      message: { format: 'none' },
      audience: {},
    });
    const { call } = createDispatcher({ context: ctx, actor: 'cli' });
    const before = entries(ctx).length;
    // The create's own entry (written by createCampaign: sendNow makes drafts too).
    expect(entries(ctx).at(-1)).toEqual({
      actor: 'app',
      action: 'campaign.create',
      app_id: app.id,
      subject: 'Spring sale',
      details: { campaignId: campaign.id },
    });
    await call('settings.updateSending', { timeoutSeconds: 9 });
    await call('apps.setDelivery', { appId: app.id, frequencyCap: { per24h: 2 } });
    await call('apps.setDelivery', { appId: app.id, frequencyCap: {} });
    await call('campaigns.cancel', { id: campaign.id });
    await expect(call('campaigns.pause', { id: campaign.id })).rejects.toMatchObject({
      code: 'CAMPAIGN_NOT_SENDING',
    });
    expect(entries(ctx).slice(before)).toEqual([
      {
        actor: 'cli',
        action: 'settings.sending',
        app_id: null,
        subject: null,
        details: { changed: ['timeoutSeconds'] },
      },
      {
        actor: 'cli',
        action: 'app.delivery',
        app_id: app.id,
        subject: app.name,
        details: { frequencyCap: { per24h: 2 } },
      },
      {
        actor: 'cli',
        action: 'campaign.cancel',
        app_id: app.id,
        subject: 'Spring sale',
        details: { campaignId: campaign.id },
      },
    ]);
  });
});
