// A 53-bit hash of an endpoint, the key of the (app_id, endpoint_hash) index that deduplicates endpoints.
// An index on the hash costs far less than a UNIQUE index on the ~150-character endpoint (DESIGN.md); a hit
// is confirmed by comparing the endpoint itself, byte for byte.
import type { Db } from '../db/database.ts';

/** cyrb53 (public domain): fast, well mixed, and exact in a JS number and an SQLite INTEGER. */
export function endpointHash(endpoint: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < endpoint.length; i++) {
    const ch = endpoint.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The id of each endpoint's subscription (only in the list, or only in the trash, if said); null for none. */
export function findByEndpoint(
  db: Db,
  appId: number,
  endpoints: string[],
  inTrash?: boolean,
): (number | null)[] {
  const trash = inTrash === undefined ? '' : `AND deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'}`;
  const find = db
    .prepare(`SELECT id FROM subscriptions WHERE app_id = ? AND endpoint_hash = ? AND endpoint = ? ${trash}`)
    .pluck();
  return endpoints.map(
    (endpoint) => (find.get(appId, endpointHash(endpoint), endpoint) as number | undefined) ?? null,
  );
}
