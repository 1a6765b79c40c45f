// Shared set-up for campaign tests: an app, a local push service and its subscriptions in the database.
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { campaignCreateSchema, type CampaignCreate } from '../../../../src/shared/campaigns.ts';
import { createCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import type { Behaviour, LocalSubscription, PushService } from '../../../support/push-service/server.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';

export interface Subscriber extends LocalSubscription {
  dbId: number;
  behaviour: Behaviour;
}

/** Subscribes at the push service with the app's key and stores the subscriptions; in the given order. */
export async function subscribe(
  ctx: CoreContext,
  app: AppSummary,
  service: PushService,
  behaviours: Behaviour[],
  extra: { tags?: string[]; pushService?: string } = {},
): Promise<Subscriber[]> {
  const subs = [];
  for (const behaviour of behaviours) {
    subs.push(await service.subscribe({ applicationServerKey: app.publicKey!, behaviour }));
  }
  const ids = insertSubscriptions(
    ctx.db,
    app.id,
    subs.map((sub) => ({ ...sub, tags: extra.tags, pushService: extra.pushService })),
  );
  return subs.map((sub, i) => ({ ...sub, dbId: ids[i]!, behaviour: behaviours[i]! }));
}

export function draft(ctx: CoreContext, app: AppSummary, overrides: Partial<CampaignCreate> = {}): number {
  // Read as the door reads campaigns.create, which the core does not check again.
  const request = campaignCreateSchema.parse({
    appId: app.id,
    message: { format: 'notification', notification: { title: 'Hello', body: 'World', url: '/sale' } },
    audience: {},
    ...overrides,
    options: { retryBaseMs: 50, timeoutMs: 2000, ...overrides.options },
  });
  return createCampaign(ctx, request).campaign.id;
}

export function deliveryStates(
  ctx: CoreContext,
  campaignId: number,
): Map<
  number,
  {
    state: string;
    outcome: string | null;
    http_status: number | null;
    reason: string | null;
    attempts: number;
  }
> {
  const rows = ctx.db
    .prepare(
      'SELECT subscription_id, state, outcome, http_status, reason, attempts FROM deliveries WHERE campaign_id = ?',
    )
    .all(campaignId) as Array<{
    subscription_id: number;
    state: string;
    outcome: string | null;
    http_status: number | null;
    reason: string | null;
    attempts: number;
  }>;
  return new Map(rows.map((row) => [row.subscription_id, row]));
}
