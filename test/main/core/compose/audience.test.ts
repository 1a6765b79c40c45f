import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { createJournal } from '../../../../src/main/core/campaigns/journal.ts';
import {
  countAudience,
  sampleRecipient,
  searchSubscriptions,
} from '../../../../src/main/core/compose/audience.ts';
import { measureAudience } from '../../../../src/main/core/compose/placeholder-scan.ts';
import { composePreview } from '../../../../src/main/core/compose/preview.ts';
import type { AudienceFilter, MessageSpec } from '../../../../src/shared/compose.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { insertSubscriptions } from './subscription-rows.ts';

const day = 86_400_000;

function world() {
  const ctx = testContext();
  const app = createTestApp(ctx);
  const other = createTestApp(ctx);
  insertSubscriptions(ctx, app.id, [
    {
      label: 'Ada',
      fields: { first_name: 'Ada' },
      tags: ['vip', 'news'],
      pushService: 'fcm',
      createdAt: 10 * day,
      lastSuccessAt: 20 * day,
    },
    {
      label: 'Bob',
      fields: { first_name: 'Bob' },
      tags: ['news'],
      pushService: 'apple',
      createdAt: 11 * day,
    },
    {
      label: null,
      fields: null,
      tags: ['vip'],
      pushService: 'mozilla',
      createdAt: 12 * day,
      lastSuccessAt: 30 * day,
    },
    {
      label: 'Cy',
      tags: ['test-device'],
      pushService: 'fcm',
      createdAt: 13 * day,
      endpoint: 'https://push.example/cy?x=1',
    },
    { label: 'Gone', tags: ['vip', 'news'], status: 'expired' },
    { label: 'Trashed', tags: ['vip', 'news'], deletedAt: 5 },
  ]);
  insertSubscriptions(ctx, other.id, [{ label: 'Other app', tags: ['vip'] }]);
  const count = (filter: AudienceFilter) => countAudience(ctx, app.id, filter).recipients;
  return { ctx, app, count };
}

describe('audience', () => {
  it('counts all active subscriptions of the app, never expired or deleted ones', () => {
    const { ctx, app, count } = world();
    expect(count({})).toBe(4);
    expect(countAudience(ctx, app.id, {}).byService).toEqual({ fcm: 2, apple: 1, mozilla: 1 });
  });

  it('filters by tags: any of, all of, none of', () => {
    const { count } = world();
    expect(count({ tagsAny: ['vip', 'test-device'] })).toBe(3);
    expect(count({ tagsAll: ['vip', 'news'] })).toBe(1);
    expect(count({ tagsNone: ['news'] })).toBe(2);
    expect(count({ tagsAny: ['vip'], tagsNone: ['news'] })).toBe(1);
    expect(count({ tagsAny: ['nope'] })).toBe(0);
  });

  it('filters by push service and by created and last-success ranges', () => {
    const { count } = world();
    expect(count({ pushServices: ['apple', 'mozilla'] })).toBe(2);
    expect(count({ createdFrom: 11 * day, createdTo: 13 * day })).toBe(2);
    expect(count({ lastSuccessFrom: 25 * day })).toBe(1);
    expect(count({ lastSuccessTo: 25 * day })).toBe(1);
  });

  it('filters on custom fields (first_name = ada), ignoring case, together with the other conditions', () => {
    const { ctx, app, count } = world();
    expect(count({ fields: [{ name: 'first_name', value: 'ada' }] })).toBe(1);
    expect(count({ fields: [{ name: 'first_name', value: 'Bob' }], tagsAny: ['vip'] })).toBe(0);
    expect(count({ fields: [{ name: 'city', value: 'Berlin' }] })).toBe(0);
    // A campaign's journal takes the same audience: only Ada is in it.
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      message: { format: 'raw', raw: 'hi' },
      audience: {},
    });
    expect(
      createJournal(ctx.db, campaign.id, app.id, { fields: [{ name: 'first_name', value: 'ADA' }] }, 1),
    ).toBe(1);
  });

  it('has a test-devices group: the subscriptions tagged test-device', () => {
    const { count } = world();
    expect(count({ testDevices: true })).toBe(1);
  });

  it('finds one subscription by exact endpoint or by part of its label', () => {
    const { ctx, app, count } = world();
    const byEndpoint = searchSubscriptions(ctx, app.id, 'https://push.example/cy?x=1');
    expect(byEndpoint.map((m) => m.label)).toEqual(['Cy']);
    expect(searchSubscriptions(ctx, app.id, 'bo').map((m) => m.label)).toEqual(['Bob']);
    expect(searchSubscriptions(ctx, app.id, 'Gone')).toEqual([]);
    expect(searchSubscriptions(ctx, app.id, '%')).toEqual([]);
    expect(count({ subscriptionIds: [byEndpoint[0]!.id] })).toBe(1);
    expect(count({ endpoints: ['https://push.example/cy?x=1'] })).toBe(1);
  });

  it('picks a sample subscriber with a label and fields for the preview', () => {
    const { ctx, app } = world();
    expect(sampleRecipient(ctx, app.id, {})).toMatchObject({ label: 'Ada', fields: { first_name: 'Ada' } });
    expect(sampleRecipient(ctx, app.id, { pushServices: ['mozilla'] })).toMatchObject({ label: null });
    expect(sampleRecipient(ctx, app.id, { tagsAny: ['nope'] })).toBeNull();
  });
});

describe('measuring a message against its audience', () => {
  const greeting: MessageSpec = {
    format: 'notification',
    notification: { title: 'Hi {{first_name}} {{label}}' },
  };

  it('counts recipients without a placeholder value and finds the largest payload exactly', () => {
    const { ctx, app } = world();
    const measure = measureAudience(ctx, app.id, greeting, {}, 4);
    expect(measure.placeholders).toEqual([
      { name: 'first_name', missing: 2, hasDefault: false },
      { name: 'label', missing: 1, hasDefault: false },
    ]);
    // '{"title":"Hi Ada Ada"}' and Bob's are the largest: 22 bytes.
    expect(measure.budget).toMatchObject({
      largestBytes: 22,
      exact: true,
      limit: 3993,
      firefoxAndroidLimit: 3070,
    });
  });

  it('bounds the largest payload from the recorded field lengths for large audiences, never below the exact size', async () => {
    const { ctx, app } = world();
    const scan = await import('../../../../src/main/core/compose/placeholder-scan.ts');
    const exact = measureAudience(ctx, app.id, greeting, {}, 4);
    const recipients = scan.EXACT_SCAN_LIMIT + 1;
    const bound = measureAudience(ctx, app.id, greeting, {}, recipients);
    expect(bound.budget.exact).toBe(false);
    // Who lacks a value is estimated from a sample (here all four): half lack first_name, a quarter a label.
    expect(bound.placeholders).toEqual([
      { name: 'first_name', missing: Math.round(recipients / 2), hasDefault: false, estimated: true },
      { name: 'label', missing: Math.round(recipients / 4), hasDefault: false, estimated: true },
    ]);
    // The lengths are the app's, trash included: the label 'Trashed' makes it '{"title":"Hi Ada Trashed"}'.
    expect(exact.budget.largestBytes).toBe(22);
    expect(bound.budget.largestBytes).toBe(26);
    // A name no subscription has is missing for everyone, estimate or not.
    const nick: MessageSpec = { format: 'notification', notification: { title: '{{nick}}' } };
    expect(measureAudience(ctx, app.id, nick, {}, recipients).placeholders).toEqual([
      { name: 'nick', missing: recipients, hasDefault: false },
    ]);
    // JSON escaping is counted: a quote costs two bytes.
    insertSubscriptions(ctx, app.id, [{ label: 'Q', fields: { first_name: '"""' } }]);
    const onlyName: MessageSpec = { format: 'notification', notification: { title: '{{first_name}}' } };
    expect(measureAudience(ctx, app.id, onlyName, {}, 99_999).budget.largestBytes).toBe(12 + 6);
    expect(measureAudience(ctx, app.id, onlyName, {}, 5).budget.largestBytes).toBe(12 + 6);
    // With two fields whose longest values belong to different people, the bound is above the exact size.
    expect(measureAudience(ctx, app.id, greeting, {}, 99_999).budget.largestBytes).toBeGreaterThanOrEqual(
      measureAudience(ctx, app.id, greeting, {}, 5).budget.largestBytes,
    );
  });

  it('previews for a sample subscriber with count, budget and findings', () => {
    const { ctx, app } = world();
    const preview = composePreview(ctx, {
      appId: app.id,
      message: { format: 'notification', notification: { title: 'Hi {{first_name|there}}, {{nick}}' } },
      audience: { tagsAny: ['vip'] },
      options: { ttl: 3600 },
    });
    expect(preview.recipients).toBe(2);
    expect(preview.sample?.label).toBe('Ada');
    expect(preview.rendered?.title).toBe('Hi Ada, ');
    expect(preview.payloadText).toBe('{"title":"Hi Ada, "}');
    expect(preview.findings.map((f) => f.code)).toEqual(['PLACEHOLDER_UNKNOWN', 'ICON_MISSING']);
  });
});
