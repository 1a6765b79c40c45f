// The body of an export's progress notification: rows written, as words and a bar, and the Stop button.
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { ExportProgress as Progressed } from '../../../../../shared/subscriptions.ts';

export function ExportProgress({ progress, onStop }: { progress: Progressed; onStop: () => void }) {
  const percent = progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  return (
    <Stack gap={4} data-testid="export-progress">
      <Group justify="space-between">
        <Text size="sm">
          {progress.done.toLocaleString()} of {progress.total.toLocaleString()} subscriptions written
        </Text>
        <Button size="compact-xs" variant="subtle" color="red" onClick={onStop}>
          Stop
        </Button>
      </Group>
      <Progress value={percent} size="sm" aria-label="Export progress" />
    </Stack>
  );
}
