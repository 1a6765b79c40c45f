// Domain fixtures for tests: apps with real, freshly generated VAPID keys, and campaigns. They write behind
// the dispatcher, so they tell an open window what they changed themselves, as a background run does.
import type { AppSummary } from '../../src/shared/apps.ts';
import type { ChangeScope } from '../../src/shared/channel.ts';
import { createApp } from '../../src/main/core/apps/apps.ts';
import { createCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import type { CoreContext } from '../../src/main/core/context.ts';

let counter = 0;

export function told<T>(ctx: CoreContext, scopes: ChangeScope[], result: T): T {
  ctx.events.emit('data.changed', { scopes });
  return result;
}

export function createTestApp(ctx: CoreContext, name = `app-${++counter}.example`): AppSummary {
  return told(ctx, ['apps'], createApp(ctx, { name, subject: 'mailto:ops@example.com' }));
}

export function createTestCampaign(
  ...args: Parameters<typeof createCampaign>
): ReturnType<typeof createCampaign> {
  return told(args[0], ['campaigns'], createCampaign(...args));
}
