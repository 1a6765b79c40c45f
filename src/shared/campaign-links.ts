// Campaign links: the UTM parameters Pushdeck adds to every URL a message opens, so a site's analytics
// can count a campaign's clicks (and a variant's). Pure TS, shared by the core, the CLI and the window.
import { z } from 'zod';

/** A UTM value: what analytics tools show as the source, medium, campaign or content. */
const utmValue = z.string().trim().min(1).max(100);

/**
 * Present = tag the links. `source` and `medium` default to pushdeck and push; `campaign` is filled from
 * the campaign's name when it is created, `content` with the variant's name.
 */
export const campaignLinksSchema = z.object({
  source: utmValue.optional(),
  medium: utmValue.optional(),
  campaign: utmValue.optional(),
  content: utmValue.optional(),
});
export type CampaignLinks = z.infer<typeof campaignLinksSchema>;
