// The time zone of one subscription in its detail drawer: a searchable pick of IANA names, saved on
// request; empty means the app's default zone applies.
import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect.tsx';
import { useSetTimeZone } from '../mutations.ts';

export function TimeZoneField(props: { appId: number; id: number; timeZone: string | null }) {
  const [zone, setZone] = useState<string | null>(props.timeZone);
  const save = useSetTimeZone(props.appId);
  const changed = zone !== props.timeZone;
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TimeZoneSelect
          label="Time zone"
          placeholder="None: the app's default zone applies"
          clearable
          value={zone}
          onChange={setZone}
          error={save.error?.message}
          style={{ flex: 1 }}
        />
        <Button
          disabled={!changed}
          loading={save.isPending}
          onClick={() =>
            save.mutate(
              { id: props.id, timeZone: zone },
              {
                onSuccess: () =>
                  notifications.show({
                    color: 'teal',
                    message: zone ? `Time zone set to ${zone}` : 'Time zone cleared: the app default applies',
                  }),
              },
            )
          }
        >
          Save zone
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Local-time campaigns and quiet hours go by this zone.
      </Text>
    </Stack>
  );
}
