// The timing a draft will be sent with, chosen in the window's Schedule form before it is scheduled or
// sent: local time, and how quiet hours and the frequency cap apply. Resolved against the app's rules only
// when the campaign starts (campaign-timing.ts).
import type { DeliveryTiming } from '../../../shared/delivery-time.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { campaignRow } from '../campaigns/campaigns.ts';
import type { CoreContext } from '../context.ts';
import type { StoredTiming } from './plan.ts';

export function setDraftTiming(ctx: CoreContext, id: number, timing: DeliveryTiming | null): void {
  const row = campaignRow(ctx, id);
  if (!(row.state === 'draft' || (row.state === 'scheduled' && row.started_at === null))) {
    throw new PushdeckError(
      'CAMPAIGN_NOT_DRAFT',
      `Campaign ${id} is ${row.state === 'scheduled' ? 'sending by zone' : row.state}: its timing was fixed when it started. Duplicate it to send it at another time.`,
    );
  }
  if (timing?.localTime && row.variants !== null) {
    throw new PushdeckError(
      'TIMING_WITH_VARIANTS',
      'A/B variants cannot be sent at a local time yet: send the variants at one time, or drop them.',
    );
  }
  const stored: StoredTiming | null = timing ? { requested: timing, resolved: null } : null;
  ctx.db
    .prepare('UPDATE campaigns SET timing = ?, updated_at = ? WHERE id = ?')
    .run(stored ? JSON.stringify(stored) : null, ctx.now(), id);
}
