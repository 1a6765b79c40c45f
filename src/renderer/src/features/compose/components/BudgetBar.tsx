// The byte budget: the largest personalised payload against one encrypted record (3993 bytes) and what
// Firefox on Android accepts (about 3070), as a bar with both limits marked.
import { Box, Group, Progress, Text, Tooltip } from '@mantine/core';
import type { PayloadBudget } from '../../../../../shared/compose.ts';

export function BudgetBar({ budget }: { budget: PayloadBudget }) {
  const { largestBytes, limit, firefoxAndroidLimit } = budget;
  const over = largestBytes > limit;
  const warn = !over && largestBytes > firefoxAndroidLimit;
  const color = over ? 'red' : warn ? 'yellow' : 'teal';
  const percent = Math.min(100, (largestBytes / limit) * 100);
  const label = `${budget.exact ? '' : 'up to '}${largestBytes.toLocaleString()} / ${limit.toLocaleString()} bytes`;
  return (
    <Box data-testid="budget" data-bytes={largestBytes}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={500}>
          Payload size
        </Text>
        <Text size="sm" c={over ? 'red' : warn ? 'yellow.8' : 'dimmed'} data-testid="budget-label">
          {label}
        </Text>
      </Group>
      <Box pos="relative">
        <Progress
          value={percent}
          color={color}
          size="lg"
          radius="xl"
          aria-label={`Largest payload ${label}`}
          transitionDuration={200}
        />
        <Tooltip label={`Firefox on Android: about ${firefoxAndroidLimit.toLocaleString()} bytes`}>
          <Box
            pos="absolute"
            top={-3}
            left={`${(firefoxAndroidLimit / limit) * 100}%`}
            w={2}
            h={22}
            bg="gray.6"
            style={{ borderRadius: 1 }}
          />
        </Tooltip>
      </Box>
      <Text size="xs" c="dimmed" mt={4}>
        {budget.exact ? 'Largest payload among the recipients' : 'Upper bound from the longest values'}; the
        mark is Firefox on Android’s limit.
      </Text>
    </Box>
  );
}
