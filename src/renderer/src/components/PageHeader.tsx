// The title row of an area: a heading, a line of context, and the area's main actions on the right.
import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader(props: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg">
      <Stack gap={2}>
        <Title order={2}>{props.title}</Title>
        {props.description && <Text c="dimmed">{props.description}</Text>}
      </Stack>
      {props.actions && <Group gap="sm">{props.actions}</Group>}
    </Group>
  );
}
