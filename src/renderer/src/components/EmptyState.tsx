// The empty state every area shows before there is anything in it: what this is and what to do first.
import { Button, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function EmptyState(props: {
  icon: ReactNode;
  title: string;
  description: string;
  action?: { label: string; onClick: () => void };
}) {
  return (
    <Stack align="center" gap="sm" py={80} maw={460} mx="auto" ta="center" data-testid="empty-state">
      <ThemeIcon size={56} radius="xl" variant="light">
        {props.icon}
      </ThemeIcon>
      <Title order={3}>{props.title}</Title>
      <Text c="dimmed">{props.description}</Text>
      {props.action && (
        <Button mt="sm" onClick={props.action.onClick}>
          {props.action.label}
        </Button>
      )}
    </Stack>
  );
}
