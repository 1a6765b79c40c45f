// Under the composer's recipient count: how many of them the app's frequency cap and quiet hours would
// hold back if the campaign went out now (a schedule shows its own figures for its time).
import { Text } from '@mantine/core';
import type { AudienceCount } from '../../../../../shared/compose.ts';
import type { QuietHoursPolicy } from '../../../../../shared/delivery-time.ts';

const quietFate: Record<QuietHoursPolicy, string> = {
  skip: 'skipped',
  hold: 'held until they end',
  ignore: 'sent anyway',
};

export function HeldBackLine({ heldBack }: { heldBack: NonNullable<AudienceCount['heldBack']> }) {
  const { frequencyCap, quietHours, quietHoursPolicy } = heldBack;
  if (frequencyCap === 0 && quietHours === 0) {
    return (
      <Text size="xs" c="dimmed" mt={2} data-testid="held-back">
        Sent now, neither the frequency cap nor quiet hours would hold anyone back.
      </Text>
    );
  }
  const parts = [
    frequencyCap > 0 ? `${frequencyCap.toLocaleString()} would be skipped by the frequency cap` : null,
    quietHours > 0
      ? `${quietHours.toLocaleString()} are in their quiet hours and would be ${quietFate[quietHoursPolicy]}`
      : null,
  ].filter((part) => part !== null);
  return (
    <Text size="xs" c="orange.8" mt={2} data-testid="held-back">
      Sent now: {parts.join('; ')}.
    </Text>
  );
}
