// Where the columns of a CSV file, and the properties of a JSON object, go: the fields of a subscription,
// under the names other systems give them (OneSignal, Pushpad, spreadsheets), or custom fields.
import type { ColumnMapping, ColumnTarget } from '../../../../shared/subscriptions.ts';

const aliases: Record<string, ColumnTarget> = {
  endpoint: 'endpoint',
  url: 'endpoint',
  endpointurl: 'endpoint',
  subscriptionendpoint: 'endpoint',
  webendpoint: 'endpoint',
  pushendpoint: 'endpoint',
  p256dh: 'p256dh',
  keysp256dh: 'p256dh',
  p256: 'p256dh',
  webp256: 'p256dh',
  webp256dh: 'p256dh',
  p256dhkey: 'p256dh',
  publickey: 'p256dh',
  auth: 'auth',
  keysauth: 'auth',
  webauth: 'auth',
  authsecret: 'auth',
  authkey: 'auth',
  tags: 'tags',
  tag: 'tags',
  segments: 'tags',
  label: 'label',
  name: 'label',
  status: 'status',
  createdat: 'created_at',
  created: 'created_at',
  subscribedat: 'created_at',
  expirationtime: 'expiration_time',
  expiresat: 'expiration_time',
  expiration: 'expiration_time',
  timezone: 'timezone',
  tz: 'timezone',
  // "time_zone" and "timeZone" (the subscribe snippet's key) lose their separators and case above.
};

/** The target of a column named like this, by its letters and digits only ("Web P256" → p256dh). */
export function guessTarget(column: string): ColumnTarget {
  return aliases[column.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? 'field';
}

export interface ResolvedColumns {
  targets: ColumnTarget[];
  missing: ('endpoint' | 'p256dh' | 'auth')[];
}

export function resolveColumns(header: string[], mapping: ColumnMapping | undefined): ResolvedColumns {
  const taken = new Set<ColumnTarget>();
  const targets = header.map((name) => {
    let target = mapping?.[name] ?? guessTarget(name);
    // One column per known field: a second "name"-like column becomes a custom field.
    if (target !== 'field' && target !== 'ignore') {
      if (taken.has(target)) target = 'field';
      taken.add(target);
    }
    if (target === 'field' && name.trim() === '') target = 'ignore';
    return target;
  });
  const missing = (['endpoint', 'p256dh', 'auth'] as const).filter((field) => !taken.has(field));
  return { targets, missing };
}
