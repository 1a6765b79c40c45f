// "Send the rest with variant X": the held part of an A/B campaign goes out with the chosen variant, in
// the same campaign and journal, so nobody gets the campaign twice and its results add up in one place.
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import { campaignRow } from './campaigns.ts';
import { activeRun, isInterrupted, startRun, type CampaignRun, type RunOptions } from './runner.ts';
import { heldCount, parseStoredVariants, releaseHeld } from './variants.ts';

export function startSendRest(
  ctx: CoreContext,
  id: number,
  variant: string,
  options: RunOptions = {},
): CampaignRun {
  const row = campaignRow(ctx, id);
  const stored = parseStoredVariants(row.variants);
  if (!stored) {
    throw new PushdeckError(
      'CAMPAIGN_NO_VARIANTS',
      `Campaign ${id} has no variants: there is no rest to send.`,
    );
  }
  if (!stored.variants.some((v) => v.name === variant)) {
    const names = stored.variants.map((v) => v.name).join(', ');
    throw new PushdeckError(
      'VARIANT_NOT_FOUND',
      `Campaign ${id} has no variant ${variant}: choose one of ${names}.`,
    );
  }
  if (stored.restVariant !== null) {
    throw new PushdeckError(
      'REST_ALREADY_SENT',
      `The rest of campaign ${id} was already sent with variant ${stored.restVariant}${row.state === 'completed' ? '' : `; it is ${row.state}: resume it to finish`}.`,
    );
  }
  if (!stored.holdRest) {
    throw new PushdeckError(
      'NOTHING_HELD',
      `Campaign ${id} held nobody back: its variants took the whole audience.`,
    );
  }
  if (row.state === 'draft' || row.state === 'scheduled') {
    throw new PushdeckError('CAMPAIGN_NOT_SENT', `Campaign ${id} is ${row.state}: send its variants first.`);
  }
  if (row.state === 'cancelled') {
    throw new PushdeckError('CAMPAIGN_FINISHED', `Campaign ${id} was cancelled: duplicate it to test again.`);
  }
  // The variants' part must be over first: its figures choose the winner, and one run sends at a time.
  const busy = activeRun(ctx, id) || row.state === 'sending';
  if (
    busy ||
    ctx.db
      .prepare(
        "SELECT 1 FROM deliveries WHERE campaign_id = ? AND state IN ('pending', 'in_flight', 'retrying') LIMIT 1",
      )
      .get(id)
  ) {
    const how = busy && !isInterrupted(ctx, row) ? 'wait until it ends' : 'resume it to finish';
    throw new PushdeckError(
      'VARIANTS_NOT_DONE',
      `Campaign ${id} is still sending its variants: ${how}, then send the rest.`,
    );
  }
  const at = ctx.now();
  const held = heldCount(ctx.db, id);
  const moved = releaseHeld(ctx.db, id, stored, variant, at);
  appendAudit(ctx.db, at, {
    action: 'campaign.sendRest',
    appId: row.app_id,
    subject: row.name,
    details: { campaignId: id, variant, recipients: moved, leftOut: held - moved },
  });
  return startRun(ctx, id, options);
}
