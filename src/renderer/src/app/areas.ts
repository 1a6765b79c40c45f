// The areas of the app, in navigation order; the hash route names one.
export const areas = [
  { id: 'campaigns', label: 'Campaigns', shortcut: '1' },
  { id: 'compose', label: 'Compose', shortcut: '2' },
  { id: 'subscriptions', label: 'Subscriptions', shortcut: '3' },
  { id: 'keys', label: 'Keys', shortcut: '4' },
  { id: 'settings', label: 'Settings', shortcut: '5' },
  { id: 'audit', label: 'Audit', shortcut: '6' },
] as const;

export type AreaId = (typeof areas)[number]['id'];

export function areaFromHash(hash: string): AreaId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return areas.find((area) => area.id === id)?.id ?? 'campaigns';
}
