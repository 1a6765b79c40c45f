// How Pushdeck reaches push services: a proxy for every request, and the default request timeout.
import { Button, Card, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SendingSettings } from '../../../../../shared/settings.ts';
import { useUpdateSendingSettings } from '../mutations.ts';

export function SendingSettingsCard({ settings }: { settings: SendingSettings }) {
  const [proxy, setProxy] = useState(settings.proxyUrl ?? '');
  const [timeout, setTimeoutSeconds] = useState<number>(settings.timeoutSeconds);
  const update = useUpdateSendingSettings();
  const changed = proxy.trim() !== (settings.proxyUrl ?? '') || timeout !== settings.timeoutSeconds;

  const save = () =>
    update.mutate(
      { proxyUrl: proxy.trim() === '' ? null : proxy.trim(), timeoutSeconds: timeout },
      {
        onSuccess: (saved) => {
          setProxy(saved.proxyUrl ?? '');
          notifications.show({
            color: 'teal',
            title: 'Sending settings saved',
            message: 'New sends use them.',
          });
        },
      },
    );

  return (
    <Card withBorder padding="lg" mt="md" component="section" aria-label="Sending">
      <Title order={4} mb={4}>
        Sending
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        How Pushdeck reaches push services. Without a proxy here, HTTPS_PROXY and NO_PROXY from the
        environment apply.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Stack gap="sm" maw={560}>
          <TextInput
            label="Proxy"
            description="Every push request goes through it, e.g. http://proxy.example:3128"
            placeholder="No proxy"
            value={proxy}
            onChange={(event) => setProxy(event.currentTarget.value)}
            error={update.error?.message}
          />
          <NumberInput
            label="Request timeout"
            description="A request with no answer by then is aborted and retried; new campaigns take this value."
            suffix=" s"
            min={1}
            max={600}
            allowDecimal={false}
            value={timeout}
            onChange={(value) =>
              setTimeoutSeconds(typeof value === 'number' ? value : settings.timeoutSeconds)
            }
            w={200}
          />
          <Group>
            <Button type="submit" disabled={!changed} loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
