// The body of a bulk action's progress notification: how far it has got, in words and as a bar.
import { Progress, Stack, Text } from '@mantine/core';
import type { BulkProgress as Progressed } from '../../../../../shared/subscriptions.ts';

export function BulkProgress(props: Progressed) {
  const percent = props.total > 0 ? (100 * props.done) / props.total : 0;
  return (
    <Stack gap={4} data-testid="bulk-progress">
      <Text size="sm">
        {props.done.toLocaleString()} of {props.total.toLocaleString()} subscriptions
      </Text>
      <Progress value={percent} size="sm" aria-label="Bulk action progress" />
    </Stack>
  );
}
