import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import type { MessageSpec } from '../../../../src/shared/compose.ts';
import { createCampaign, sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { startSendRest } from '../../../../src/main/core/campaigns/send-rest.ts';
import { variantFindings } from '../../../../src/main/core/campaigns/variant-checks.ts';
import { variantFor } from '../../../../src/main/core/campaigns/variants.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { subscribe, type Subscriber } from './fixtures.ts';

const note = (title: string): MessageSpec => ({
  format: 'notification',
  notification: { title, url: 'https://shop.example/sale' },
  utm: {},
});

describe('the split of the audience', () => {
  const plan = {
    variants: [
      { name: 'A', share: 10, message: note('A') },
      { name: 'B', share: 10, message: note('B') },
    ],
    holdRest: true,
  };

  it('gives a subscriber the same variant every time, and another campaign splits differently', () => {
    const first = Array.from({ length: 500 }, (_, i) => variantFor(plan, 7, i + 1));
    expect(Array.from({ length: 500 }, (_, i) => variantFor(plan, 7, i + 1))).toEqual(first);
    const other = Array.from({ length: 500 }, (_, i) => variantFor(plan, 8, i + 1));
    expect(other).not.toEqual(first);
  });

  it('gives each variant about its share and holds the rest', () => {
    const counts = { A: 0, B: 0, held: 0 };
    for (let id = 1; id <= 20_000; id++) counts[(variantFor(plan, 3, id) ?? 'held') as 'A']++;
    expect(counts.A / 20_000).toBeGreaterThan(0.09);
    expect(counts.A / 20_000).toBeLessThan(0.11);
    expect(counts.B / 20_000).toBeGreaterThan(0.09);
    expect(counts.B / 20_000).toBeLessThan(0.11);
    expect(counts.held / 20_000).toBeGreaterThan(0.78);
  });

  it('leaves nobody out when the shares add up to 100 and nothing is held', () => {
    const whole = { variants: [plan.variants[0]!, { ...plan.variants[1]!, share: 90 }], holdRest: false };
    for (let id = 1; id <= 2000; id++) expect(variantFor(whole, 3, id)).not.toBeNull();
  });

  it('warns when variants differ in TTL, topic or urgency, and not when they agree', () => {
    expect(variantFindings(plan, { ttl: 600 })).toEqual([]);
    const differ = {
      variants: [
        { ...plan.variants[0]!, ttl: 60, topic: 'spring' },
        { ...plan.variants[1]!, urgency: 'high' as const },
      ],
    };
    expect(variantFindings(differ, { ttl: 600 }).map((f) => f.code)).toEqual([
      'VARIANTS_TTL_DIFFER',
      'VARIANTS_TOPIC_DIFFER',
      'VARIANTS_URGENCY_DIFFER',
    ]);
    expect(variantFindings(differ, { ttl: 600 })[0]!.message).toContain('A 60 s, B 600 s');
  });
});

describe('a campaign with two variants and a held rest, sent to the local push service', () => {
  let service: PushService;
  const ctx = testContext();
  let app: AppSummary;
  let subs: Subscriber[];

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    subs = await subscribe(ctx, app, service, Array(120).fill('ok'));
  });
  afterAll(() => service.close());

  const titleOf = (sub: Subscriber) =>
    service
      .messages(sub.id)
      .map((m) => JSON.parse(m.payload!.toString('utf8')) as { title: string; url: string });

  it('sends each variant to its share, holds the rest, then sends the rest with the winner: one message each', async () => {
    const { campaign, warnings } = createCampaign(ctx, {
      appId: app.id,
      name: 'Spring test',
      message: note('unused'),
      audience: {},
      options: { ttl: 600 },
      variants: {
        variants: [
          { name: 'A', share: 25, message: note('Spring A') },
          { name: 'B', share: 25, message: note('Spring B'), ttl: 300 },
        ],
        holdRest: true,
      },
    });
    expect(warnings.join(' ')).toMatch(/different times \(A 600 s, B 300 s\)/);
    expect((await sendCampaign(ctx, campaign.id)).state).toBe('completed');

    const journal = new Map(
      (
        ctx.db
          .prepare('SELECT subscription_id AS id, variant FROM deliveries WHERE campaign_id = ?')
          .all(campaign.id) as Array<{ id: number; variant: string }>
      ).map((r) => [r.id, r.variant]),
    );
    const detail = campaignDetail(ctx, campaign.id);
    expect(detail.variants!.held + journal.size).toBe(120);
    expect(detail.totals.recipients).toBe(journal.size);
    for (const sub of subs) {
      const variant = journal.get(sub.dbId);
      const got = titleOf(sub);
      if (variant === undefined) {
        expect(got).toEqual([]);
        continue;
      }
      expect(got.map((m) => m.title)).toEqual([`Spring ${variant}`]);
      // utm_content names the variant; utm_campaign the campaign.
      expect(got[0]!.url).toBe(
        `https://shop.example/sale?utm_source=pushdeck&utm_medium=push&utm_campaign=spring-test&utm_content=${variant}`,
      );
      expect(service.messages(sub.id)[0]!.ttl).toBe(variant === 'B' ? '300' : '600');
    }
    const byName = Object.fromEntries(detail.variants!.results.map((r) => [r.name, r]));
    const countOf = (v: string) => [...journal.values()].filter((x) => x === v).length;
    expect(byName.A!.totals).toMatchObject({ recipients: countOf('A'), delivered: countOf('A'), failed: 0 });
    expect(byName.B!.totals).toMatchObject({ recipients: countOf('B'), delivered: countOf('B') });
    expect(byName.A!.byStatus).toEqual({ '201': countOf('A') });
    expect(byName.A!.latencyMs.p50).not.toBeNull();
    expect(byName.rest).toBeUndefined();

    const held = detail.variants!.held;
    const rest = await startSendRest(ctx, campaign.id, 'B').done;
    expect(rest.state).toBe('completed');
    const after = campaignDetail(ctx, campaign.id);
    expect(after.variants).toMatchObject({ held: 0, restVariant: 'B' });
    expect(after.totals).toMatchObject({ recipients: 120, delivered: 120 });
    const restResults = after.variants!.results.find((r) => r.name === 'rest')!;
    expect(restResults.totals).toMatchObject({ recipients: held, delivered: held });
    for (const sub of subs) {
      const got = titleOf(sub);
      expect(got, `subscriber ${sub.dbId}`).toHaveLength(1);
      if (!journal.has(sub.dbId)) {
        expect(got[0]!.title).toBe('Spring B');
        expect(service.messages(sub.id)[0]!.ttl).toBe('300');
      }
    }

    expect(() => startSendRest(ctx, campaign.id, 'A')).toThrow(/already sent with variant B/);
  });

  it('refuses plans whose shares do not fit, naming the fix', () => {
    const create = (shares: number[], holdRest: boolean) =>
      createCampaign(ctx, {
        appId: app.id,
        message: note('x'),
        audience: {},
        variants: {
          variants: shares.map((share, i) => ({ name: `V${i}`, share, message: note(`V${i}`) })),
          holdRest,
        },
      });
    expect(() => create([10, 10], false)).toThrow(
      /add up to 20 %: make them add up to 100, or hold the other 80 %/,
    );
    expect(() => create([60, 50], true)).toThrow(/add up to 110 %/);
    expect(() => create([50, 50], true)).toThrow(/nothing is left to hold/);
  });

  it('refuses to send the rest of a campaign whose variants were not sent, or to an unknown variant', () => {
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      message: note('x'),
      audience: {},
      variants: {
        variants: [
          { name: 'A', share: 10, message: note('A') },
          { name: 'B', share: 10, message: note('B') },
        ],
        holdRest: true,
      },
    });
    expect(() => startSendRest(ctx, campaign.id, 'C')).toThrow(/no variant C: choose one of A, B/);
    expect(() => startSendRest(ctx, campaign.id, 'A')).toThrow(/is draft: send its variants first/);
  });
});
