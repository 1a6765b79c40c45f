// Campaign links' defaults and the campaign-name slug that utm_campaign carries. Plain TypeScript without
// zod (campaign-links.ts holds the schema): the sending threads build payloads with it and stay small.

export const DEFAULT_UTM_SOURCE = 'pushdeck';
export const DEFAULT_UTM_MEDIUM = 'push';

/** "Spring sale — 30 % off!" → "spring-sale-30-off": what utm_campaign carries. */
export function campaignSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'campaign';
}
