// The body of a bulk action's progress notification: how far it has got, in words and as a bar, and Stop.
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { BulkProgress as Progressed } from '../../../../../shared/subscriptions.ts';

export function BulkProgress(props: Progressed & { onStop?: () => void }) {
  const percent = props.total > 0 ? (100 * props.done) / props.total : 0;
  return (
    <Stack gap={4} data-testid="bulk-progress">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {props.done.toLocaleString()} of {props.total.toLocaleString()} subscriptions
        </Text>
        {props.onStop && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={props.onStop}>
            Stop
          </Button>
        )}
      </Group>
      <Progress value={percent} size="sm" aria-label="Bulk action progress" />
    </Stack>
  );
}
