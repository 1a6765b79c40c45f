// Campaign links: adds utm_source, utm_medium, utm_campaign and utm_content to a URL a notification
// opens, keeping its query and fragment. Pure; applied while the payload is built, so the byte budget and
// the preview count the tagged URLs.
import { campaignSlug, DEFAULT_UTM_MEDIUM, DEFAULT_UTM_SOURCE } from '../../../shared/campaign-link-rules.ts';
import type { CampaignLinks } from '../../../shared/campaign-links.ts';

export type UtmParams = Array<[name: string, value: string]>;

/**
 * The parameters a message's links get. utm_campaign defaults to the slug of the message's title as
 * written (placeholders unfilled), so every recipient's link names the same campaign.
 */
export function utmParams(links: CampaignLinks, title: string | undefined): UtmParams {
  const params: UtmParams = [
    ['utm_source', links.source ?? DEFAULT_UTM_SOURCE],
    ['utm_medium', links.medium ?? DEFAULT_UTM_MEDIUM],
    ['utm_campaign', links.campaign ?? campaignSlug(title ?? '')],
  ];
  if (links.content) params.push(['utm_content', links.content]);
  return params;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The URL with the parameters appended to its query, before its fragment. Relative URLs (opened against the
 * service worker's origin) are tagged too; other schemes (mailto:, tel:) are left alone, as analytics never
 * sees them. A parameter the URL already has is kept as written, never replaced: a link tagged by hand
 * says what its author meant. The rest of the URL keeps its bytes (no re-encoding).
 */
export function tagUrl(url: string, params: UtmParams): string {
  if (url.trim() === '') return url;
  const scheme = SCHEME.exec(url)?.[0].toLowerCase();
  if (scheme && scheme !== 'http:' && scheme !== 'https:') return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);
  const present = new URLSearchParams(query);
  const added = params
    .filter(([name]) => !present.has(name))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  if (added.length === 0) return url;
  const joiner = queryAt === -1 ? '?' : query === '' || query.endsWith('&') ? '' : '&';
  return `${beforeHash}${joiner}${added.join('&')}${fragment}`;
}

/**
 * The message as a campaign stores it: its UTM values written out (defaults, and utm_campaign from the
 * campaign's name when one is given), so its record says what its links carried.
 */
export function withResolvedLinks<M extends { utm?: CampaignLinks; notification?: { title: string } }>(
  message: M,
  campaignName?: string,
  content?: string,
): M {
  if (!message.utm) return message;
  const named = campaignName === undefined ? undefined : campaignSlug(campaignName);
  const params = new Map(
    utmParams({ ...message.utm, campaign: message.utm.campaign ?? named }, message.notification?.title),
  );
  return {
    ...message,
    utm: {
      source: params.get('utm_source'),
      medium: params.get('utm_medium'),
      campaign: params.get('utm_campaign'),
      ...((message.utm.content ?? content) ? { content: message.utm.content ?? content } : {}),
    },
  };
}
