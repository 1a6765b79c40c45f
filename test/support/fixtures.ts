// Domain fixtures for tests: apps with real, freshly generated VAPID keys, and campaigns. They write behind
// the dispatcher, so they tell an open window what they changed themselves, as a background run does.
import type { AppSummary } from '../../src/shared/apps.ts';
import type { ChangeScope } from '../../src/shared/channel.ts';
import { createApp } from '../../src/main/core/apps/apps.ts';
import { createCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { campaignCreateSchema, type CampaignCreate } from '../../src/shared/campaigns.ts';
import type { CoreContext } from '../../src/main/core/context.ts';

let counter = 0;

export function told<T>(ctx: CoreContext, scopes: ChangeScope[], result: T): T {
  ctx.events.emit('data.changed', { scopes });
  return result;
}

export function createTestApp(ctx: CoreContext, name = `app-${++counter}.example`): AppSummary {
  return told(ctx, ['apps'], createApp(ctx, { name, subject: 'mailto:ops@example.com' }));
}

/** A draft from a request read as the door reads campaigns.create (the core does not check it again). */
export function createTestCampaign(
  ctx: CoreContext,
  input: CampaignCreate,
): ReturnType<typeof createCampaign> {
  return told(ctx, ['campaigns'], createCampaign(ctx, campaignCreateSchema.parse(input)));
}
