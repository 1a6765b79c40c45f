// How one app's current private key is stored; unprotected keys say so in red.
import { Badge, Tooltip } from '@mantine/core';
import type { AppSummary } from '../../../../../shared/apps.ts';

const labels = { 'safe-storage': 'System keychain', passphrase: 'Passphrase', none: 'Unprotected' } as const;

export function ProtectionBadge({ app }: { app: AppSummary }) {
  if (!app.protection) return <Badge color="gray">No key</Badge>;
  if (!app.protectedAtRest) {
    return (
      <Tooltip label="Anyone who can read the database file can use this private key.">
        <Badge color="red" data-testid="unprotected-badge">
          Unprotected{app.protection === 'safe-storage' ? ' (basic_text keychain)' : ''}
        </Badge>
      </Tooltip>
    );
  }
  return <Badge color="green">{labels[app.protection]}</Badge>;
}
