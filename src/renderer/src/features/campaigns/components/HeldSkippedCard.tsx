// Who a campaign held back and why: recipients skipped by the frequency cap or by quiet hours (from the
// journal's reasons, listed in the Skipped tab below and in the export), and zones held until quiet hours
// ended. Shown only for a campaign that planned by zone or applied the app's rules.
import { Card, Stack, Text, Title } from '@mantine/core';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { formatStartTime } from '../format.ts';
import { CountLegend } from './CountLegend.tsx';

export const SKIP_REASONS = ['frequency cap', 'quiet hours'] as const;

export function HeldSkippedCard({ detail }: { detail: CampaignDetail }) {
  if (!detail.timing) return null;
  const held = detail.timing.zones.filter((z) => z.quietHours === 'held');
  const heldRecipients = held.reduce((sum, z) => sum + z.recipients, 0);
  const rows: [string, number][] = [
    ...SKIP_REASONS.map((reason): [string, number] => [reason, detail.byReason[reason] ?? 0]),
    ['held', heldRecipients],
  ];
  const nobody = rows.every(([, n]) => n === 0);
  return (
    <Card withBorder padding="lg" aria-label="Held or skipped" data-testid="held-skipped">
      <Title order={5} mb="sm">
        Held or skipped
      </Title>
      {nobody ? (
        <Text size="sm" c="dimmed">
          Nobody: neither the frequency cap nor quiet hours held anyone back.
        </Text>
      ) : (
        <Stack gap="xs">
          <CountLegend
            rows={rows}
            name={(key) => (key === 'held' ? 'held for quiet hours, then sent' : `skipped: ${key}`)}
          />
          {held.length > 0 && (
            <Text size="xs" c="dimmed">
              Held zones:{' '}
              {held
                .slice(0, 6)
                .map((z) => `${z.timeZone} until ${z.localRelease} (${formatStartTime(z.releaseAt)} yours)`)
                .join('; ')}
              {held.length > 6 ? ` and ${held.length - 6} more` : ''}.
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Each skipped recipient is listed in the Skipped tab below and in the exported results.
          </Text>
        </Stack>
      )}
    </Card>
  );
}
