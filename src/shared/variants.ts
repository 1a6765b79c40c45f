// Contract of A/B variants: a campaign's 2–5 messages, each with a share of the audience (the rest
// optionally held for the winner), and what each variant's part of the journal adds up to.
import { z } from 'zod';
import { messageSpecSchema, topicSchema } from './compose.ts';
import type { CampaignTotals, LatencyPercentiles } from './campaigns.ts';
import { MAX_TTL_SECONDS, urgencies } from './push-rules.ts';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;
/** The journal's variant of the held part once it is sent with the winner. */
export const REST_VARIANT = 'rest';

export const variantNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,20}$/, 'A variant name is 1 to 20 characters of A-Z, a-z, 0-9, - and _.')
  .refine((name) => name !== REST_VARIANT, `"${REST_VARIANT}" names the held part: choose another name.`);

export const variantSchema = z.object({
  name: variantNameSchema,
  /** Percent of the audience (0 < share ≤ 100; fractions allowed). */
  share: z.number().gt(0).max(100),
  message: messageSpecSchema,
  /** Overrides the campaign's TTL, urgency or topic for this variant (the checker warns when they differ). */
  ttl: z.number().int().min(0).max(MAX_TTL_SECONDS).optional(),
  urgency: z.enum(urgencies).optional(),
  topic: topicSchema.optional(),
});
export type Variant = z.infer<typeof variantSchema>;

export const variantPlanSchema = z.object({
  variants: z.array(variantSchema).min(MIN_VARIANTS).max(MAX_VARIANTS),
  /** Keep the audience outside the shares for "send the rest" with the chosen variant. */
  holdRest: z.boolean().default(false),
});
export type VariantPlan = z.output<typeof variantPlanSchema>;
export type VariantPlanInput = z.input<typeof variantPlanSchema>;

/** What a campaign stores about its variants (campaigns.variants). */
export interface StoredVariants extends VariantPlan {
  /** The variant the held part was sent with; null until "send the rest". */
  restVariant: string | null;
}

/** One variant's part of the journal (or the held part's, once sent: name REST_VARIANT). */
export interface VariantResults {
  name: string;
  totals: CampaignTotals;
  byStatus: Record<string, number>;
  byOutcome: Record<string, number>;
  latencyMs: LatencyPercentiles;
}

export interface CampaignVariants extends StoredVariants {
  /** Subscribers held for the rest and not sent to yet. */
  held: number;
  /** Per variant, in the plan's order, then the rest once sent. */
  results: VariantResults[];
}
