// The pre-send checker's findings: what would go wrong, and how to fix it. Blocking ones first.
import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconBan } from '@tabler/icons-react';
import type { Finding } from '../../../../../shared/compose.ts';

const look = {
  block: { color: 'red', icon: <IconBan size={18} />, label: 'Blocks sending' },
  warn: { color: 'yellow', icon: <IconAlertTriangle size={18} />, label: 'Warning' },
  info: { color: 'blue', icon: <IconInfoCircle size={18} />, label: 'Note' },
};

export function CheckerList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return (
      <Alert color="teal" icon={<IconCircleCheck size={18} />} title="Ready to send" data-testid="checker-ok">
        The pre-send checks found nothing to fix.
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="checker">
      {findings.map((f, i) => (
        <Alert
          key={`${f.code}-${i}`}
          color={look[f.severity].color}
          icon={look[f.severity].icon}
          title={look[f.severity].label}
          data-code={f.code}
          data-severity={f.severity}
          p="xs"
        >
          <Text size="sm">{f.message}</Text>
          <Text size="xs" c="dimmed" mt={2}>
            Fix: {f.fix}
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
