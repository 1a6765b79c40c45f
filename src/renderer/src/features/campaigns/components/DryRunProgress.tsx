// A dry run under way: how many recipients are checked, as words and a bar, and the button that stops it.
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { DryRunProgress as Progressed } from '../../../../../shared/campaigns.ts';
import { formatCount } from '../format.ts';

export function DryRunProgress({ progress, onStop }: { progress: Progressed | null; onStop: () => void }) {
  const percent = progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  return (
    <Stack gap={4} mt="md" data-testid="dry-run-progress">
      <Group justify="space-between">
        <Text size="sm">
          {progress
            ? `Dry run: ${formatCount(progress.done)} of ${formatCount(progress.total)} recipients checked`
            : 'Dry run: counting the audience…'}
        </Text>
        <Button size="xs" variant="subtle" color="red" onClick={onStop}>
          Stop dry run
        </Button>
      </Group>
      <Progress value={percent} size="sm" aria-label="Dry run progress" />
    </Stack>
  );
}
