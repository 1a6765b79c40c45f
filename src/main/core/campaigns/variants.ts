// A/B variants of a campaign: who gets which variant (a stable hash of the campaign and the subscription,
// so a re-created journal or a second process splits alike), the journal of the variants' shares with the
// rest held, and "send the rest" with the winner, which moves the held part into the same journal.
import { createHash } from 'node:crypto';
import type { SendOptions } from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { REST_VARIANT, type StoredVariants, type VariantPlan } from '../../../shared/variants.ts';
import { audienceSql } from '../compose/audience.ts';
import type { Db } from '../db/database.ts';

/** Where a subscriber falls in [0, 100): the same for a (campaign, subscription) pair, wherever computed. */
export function audiencePoint(campaignId: number, subscriptionId: number): number {
  const digest = createHash('sha256').update(`pushdeck-variant:${campaignId}:${subscriptionId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/** The variant a subscriber receives, or null when it falls in the held rest. */
export function variantFor(
  plan: Pick<VariantPlan, 'variants' | 'holdRest'>,
  campaignId: number,
  subscriptionId: number,
): string | null {
  const point = audiencePoint(campaignId, subscriptionId);
  let upTo = 0;
  for (const variant of plan.variants) {
    upTo += variant.share;
    if (point < upTo) return variant.name;
  }
  // Shares of 100 % leave nobody out, whatever the rounding.
  return plan.holdRest ? null : plan.variants[plan.variants.length - 1]!.name;
}

/** Checks a plan's names and shares; the error says what to change. */
export function validatePlan(plan: VariantPlan): void {
  const names = plan.variants.map((v) => v.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new PushdeckError('VARIANTS_INVALID', `Two variants are named ${twice}: name each once.`);
  const total = plan.variants.reduce((sum, v) => sum + v.share, 0);
  const shown = Math.round(total * 100) / 100;
  if (total > 100 + 1e-9) {
    throw new PushdeckError(
      'VARIANTS_INVALID',
      `The variants' shares add up to ${shown} %: at most 100 % of the audience can be split.`,
    );
  }
  if (!plan.holdRest && Math.abs(total - 100) > 1e-9) {
    throw new PushdeckError(
      'VARIANTS_INVALID',
      `The variants' shares add up to ${shown} %: make them add up to 100, or hold the other ${Math.round((100 - total) * 100) / 100} % for the winner (--hold-rest).`,
    );
  }
  if (plan.holdRest && Math.abs(total - 100) <= 1e-9) {
    throw new PushdeckError(
      'VARIANTS_INVALID',
      'The variants take all of the audience: nothing is left to hold. Lower their shares or drop --hold-rest.',
    );
  }
}

export function parseStoredVariants(value: string | null): StoredVariants | null {
  return value === null ? null : (JSON.parse(value) as StoredVariants);
}

/**
 * The journal of a variants campaign, inside the caller's transaction: one pending delivery per subscriber
 * in a variant's share, recording the variant; the others held. Returns both counts.
 */
export function createVariantJournal(
  db: Db,
  campaignId: number,
  appId: number,
  audience: AudienceFilter,
  plan: VariantPlan,
  at: number,
): { recipients: number; held: number } {
  db.function('pushdeck_variant', { deterministic: true }, (subscriptionId: unknown) =>
    variantFor(plan, campaignId, Number(subscriptionId)),
  );
  const { where, params } = audienceSql(appId, audience);
  const recipients = db
    .prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, updated_at, variant)
       SELECT ?, id, 'pending', push_service, ?, v FROM (
         SELECT s.id, s.push_service, pushdeck_variant(s.id) AS v FROM subscriptions s WHERE ${where}
       ) WHERE v IS NOT NULL ORDER BY id`,
    )
    .run(campaignId, at, ...params).changes;
  const held = plan.holdRest
    ? db
        .prepare(
          `INSERT INTO held_recipients (campaign_id, subscription_id)
           SELECT ?, s.id FROM subscriptions s WHERE ${where} AND pushdeck_variant(s.id) IS NULL`,
        )
        .run(campaignId, ...params).changes
    : 0;
  return { recipients, held };
}

export function heldCount(db: Db, campaignId: number): number {
  return db
    .prepare('SELECT COUNT(*) FROM held_recipients WHERE campaign_id = ?')
    .pluck()
    .get(campaignId) as number;
}

/**
 * Moves the held part into the journal as pending deliveries of the rest (variant REST_VARIANT), records
 * the chosen variant and leaves the campaign paused, all in one transaction: killed before its run starts,
 * a resume sends them. Held subscribers deleted or expired since are left out. Returns how many move.
 */
export function releaseHeld(
  db: Db,
  campaignId: number,
  stored: StoredVariants,
  variant: string,
  at: number,
): number {
  return db.transaction(() => {
    // Read again inside the write: of two "send the rest" at once, the second finds the first's choice.
    const now = parseStoredVariants(
      db.prepare('SELECT variants FROM campaigns WHERE id = ?').pluck().get(campaignId) as string | null,
    );
    if (now?.restVariant) {
      throw new PushdeckError(
        'REST_ALREADY_SENT',
        `The rest of campaign ${campaignId} was just sent with variant ${now.restVariant}.`,
      );
    }
    const moved = db
      .prepare(
        `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, updated_at, variant)
         SELECT h.campaign_id, h.subscription_id, 'pending', s.push_service, ?, ?
         FROM held_recipients h JOIN subscriptions s ON s.id = h.subscription_id
         WHERE h.campaign_id = ? AND s.status = 'active' AND s.deleted_at IS NULL
         ORDER BY h.subscription_id`,
      )
      .run(at, REST_VARIANT, campaignId).changes;
    db.prepare('DELETE FROM held_recipients WHERE campaign_id = ?').run(campaignId);
    db.prepare(
      "UPDATE campaigns SET variants = ?, state = 'paused', finished_at = NULL, updated_at = ? WHERE id = ?",
    ).run(JSON.stringify({ ...stored, restVariant: variant } satisfies StoredVariants), at, campaignId);
    return moved;
  })();
}

/** What the sending thread sends per journal variant: its message and options (the rest: the winner's). */
export function variantSends(
  stored: StoredVariants | null,
  options: SendOptions,
): Record<string, { message: MessageSpec; options: SendOptions }> | undefined {
  if (!stored) return undefined;
  const sends: Record<string, { message: MessageSpec; options: SendOptions }> = {};
  for (const v of stored.variants) {
    sends[v.name] = {
      message: v.message,
      options: {
        ...options,
        ttl: v.ttl ?? options.ttl,
        urgency: v.urgency ?? options.urgency,
        topic: v.topic ?? options.topic,
      },
    };
  }
  if (stored.restVariant !== null) sends[REST_VARIANT] = sends[stored.restVariant]!;
  return sends;
}
