import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import {
  claimDue,
  runDueCampaigns,
  STALE_CLAIM_MS,
  startDueRunner,
} from '../../../../src/main/core/schedule/due-runner.ts';
import { scheduleCampaign, unscheduleCampaign } from '../../../../src/main/core/schedule/schedule.ts';
import { listAudit } from '../../../../src/main/core/audit-log/audit-list.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { PushdeckError } from '../../../../src/shared/errors.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';

/** A campaign row as the engine stores it; these tests only need its state and times. */
function insertCampaign(ctx: CoreContext, appId: number, state = 'draft', name = 'Spring sale'): number {
  return Number(
    ctx.db
      .prepare(
        `INSERT INTO campaigns (app_id, name, state, message, options, audience, created_at, updated_at)
         VALUES (?, ?, ?, '{}', '{}', '{}', ?, ?)`,
      )
      .run(appId, name, state, ctx.now(), ctx.now()).lastInsertRowid,
  );
}

function state(ctx: CoreContext, id: number): { state: string; scheduled_at: number | null } {
  return ctx.db.prepare('SELECT state, scheduled_at FROM campaigns WHERE id = ?').get(id) as {
    state: string;
    scheduled_at: number | null;
  };
}

function clock(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

/** One campaign scheduled at 1,000,500 on a clock already at 1,001,000: due now. */
function dueCampaign() {
  const time = clock(1_000_000);
  const ctx = testContext({ now: time.now });
  const app = createTestApp(ctx);
  const id = insertCampaign(ctx, app.id);
  scheduleCampaign(ctx, id, 1_000_500);
  time.set(1_001_000);
  return { time, ctx, id };
}

describe('scheduling', () => {
  it('persists the start time, audits it, and clears back to draft', async () => {
    const time = clock(1_000_000);
    const ctx = testContext({ now: time.now });
    const app = createTestApp(ctx);
    const id = insertCampaign(ctx, app.id);
    // The door writes the entries (audited where the channels are registered).
    const { call } = createDispatcher({ context: ctx, actor: 'cli' });
    await call('schedule.set', { campaignId: id, at: 1_600_000 });
    expect(state(ctx, id)).toEqual({ state: 'scheduled', scheduled_at: 1_600_000 });
    expect(listAudit(ctx, { action: 'campaign.schedule', limit: 10 }).entries[0]).toMatchObject({
      actor: 'cli',
      appId: app.id,
      subject: 'Spring sale',
      details: { campaignId: id, scheduledAt: new Date(1_600_000).toISOString() },
    });
    await call('schedule.clear', { campaignId: id });
    expect(state(ctx, id)).toEqual({ state: 'draft', scheduled_at: null });
    expect(listAudit(ctx, { action: 'campaign.unschedule', limit: 10 }).entries[0]).toMatchObject({
      subject: 'Spring sale',
      details: { campaignId: id },
    });
    ctx.db.close();
  });

  it('refuses a time in the past and a campaign that is not a draft', () => {
    const time = clock(10_000_000);
    const ctx = testContext({ now: time.now });
    const app = createTestApp(ctx);
    const draft = insertCampaign(ctx, app.id);
    const sent = insertCampaign(ctx, app.id, 'completed');
    expect(() => scheduleCampaign(ctx, draft, 1_000)).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_IN_PAST' }),
    );
    expect(() => scheduleCampaign(ctx, sent, 20_000_000)).toThrow(
      expect.objectContaining({ code: 'CAMPAIGN_NOT_SCHEDULABLE' }),
    );
    expect(() => scheduleCampaign(ctx, 9999, 20_000_000)).toThrow(
      expect.objectContaining({ code: 'CAMPAIGN_NOT_FOUND' }),
    );
    ctx.db.close();
  });

  it('starts only due campaigns, and a campaign due for two runners starts once', () => {
    const time = clock(1_000_000);
    const a = testContext({ now: time.now });
    const b = testContext({ dbPath: a.dbPath, now: time.now });
    const app = createTestApp(a);
    const due = insertCampaign(a, app.id, 'draft', 'due');
    const later = insertCampaign(a, app.id, 'draft', 'later');
    scheduleCampaign(a, due, 1_005_000);
    scheduleCampaign(a, later, 9_000_000);
    time.set(1_010_000);
    const startedBy: string[] = [];
    const ra = runDueCampaigns(a, async (id) => startedBy.push(`a:${id}`));
    const rb = runDueCampaigns(b, async (id) => startedBy.push(`b:${id}`));
    expect(startedBy).toHaveLength(1);
    expect([...ra.started, ...rb.started]).toEqual([due]);
    expect(state(a, later).state).toBe('scheduled');
    a.db.close();
    b.db.close();
  });

  it('reports a campaign that cannot start, leaves it a draft with the reason, and logs it', () => {
    const { ctx, id } = dueCampaign();
    const run = runDueCampaigns(ctx, () => {
      throw new PushdeckError('KEYS_LOCKED', 'Unlock the keys first.');
    });
    expect(run.failed).toEqual([{ campaignId: id, code: 'KEYS_LOCKED', message: 'Unlock the keys first.' }]);
    expect(state(ctx, id).state).toBe('draft');
    expect(ctx.db.prepare('SELECT last_error FROM campaigns WHERE id = ?').pluck().get(id)).toMatch(
      /Unlock the keys first/,
    );
    expect(listAudit(ctx, { action: 'campaign.schedule-failed', limit: 10 }).entries).toHaveLength(1);
    expect(ctx.recorded.some((e) => e.event === 'schedule.ran')).toBe(true);
    ctx.db.close();
  });

  it('claims without leaving the schedule: a runner that dies after claiming is taken over a minute later', () => {
    const { time, ctx: a, id } = dueCampaign();
    const b = testContext({ dbPath: a.dbPath, now: time.now });
    // Runner a claims, then "dies" before starting it: the campaign is still scheduled, not a draft.
    expect(claimDue(a, id, time.now())).toBe(true);
    expect(state(a, id).state).toBe('scheduled');
    const started: number[] = [];
    expect(runDueCampaigns(b, async (campaignId) => started.push(campaignId)).started).toEqual([]);
    time.set(1_001_000 + STALE_CLAIM_MS + 1);
    expect(runDueCampaigns(b, async (campaignId) => started.push(campaignId)).started).toEqual([id]);
    expect(started).toEqual([id]);
    a.db.close();
    b.db.close();
  });

  it('does not send, nor report a failure, when the campaign is unscheduled between the check and the start', () => {
    const { ctx, id } = dueCampaign();
    const run = runDueCampaigns(ctx, (campaignId) => {
      // Another process unschedules it right after the claim.
      unscheduleCampaign(ctx, campaignId);
      return sendCampaign(ctx, campaignId, { scheduled: true });
    });
    expect(run.started).toEqual([]);
    expect(run.failed).toEqual([]);
    expect(
      ctx.db.prepare('SELECT state, runner_pid, last_error FROM campaigns WHERE id = ?').get(id),
    ).toEqual({
      state: 'draft',
      runner_pid: null,
      last_error: null,
    });
    expect(ctx.db.prepare('SELECT count(*) FROM deliveries WHERE campaign_id = ?').pluck().get(id)).toBe(0);
    ctx.db.close();
  });

  it('runs on a timer until stopped', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const id = insertCampaign(ctx, app.id);
    scheduleCampaign(ctx, id, Date.now() + 150);
    const started: number[] = [];
    const runner = startDueRunner(ctx, async (campaignId) => started.push(campaignId), { intervalMs: 50 });
    await expect.poll(() => started, { timeout: 5_000 }).toEqual([id]);
    runner.stop();
    ctx.db.close();
  });
});
