// "Add this browser as a test device": starts the app's one-time registration page, which main opens in the
// system browser, and shows the address (to open in another browser) and the device arriving.
import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconDeviceMobilePlus } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type {
  TestDeviceRegistrationEnd,
  TestDeviceRegistrationInfo,
} from '../../../../../shared/test-devices.ts';
import { call, subscribe } from '../../../api/client.ts';

export function AddTestDeviceButton(props: {
  appId: number;
  appName?: string;
  variant?: 'light' | 'default';
}) {
  const [opened, setOpened] = useState(false);
  const [started, setStarted] = useState<TestDeviceRegistrationInfo | null>(null);
  const [ended, setEnded] = useState<TestDeviceRegistrationEnd | null>(null);
  const start = useMutation({
    mutationFn: () => call('testDevices.add', { appId: props.appId }),
    onMutate: () => {
      setStarted(null);
      setEnded(null);
    },
    onSuccess: setStarted,
  });

  useEffect(
    () =>
      subscribe('testDevices.ended', (end) => {
        if (end.url === started?.url) setEnded(end);
      }),
    [started?.url],
  );

  const close = () => {
    setOpened(false);
    if (started && !ended) void call('testDevices.cancel', { appId: props.appId });
  };

  return (
    <>
      <Button
        variant={props.variant ?? 'light'}
        leftSection={<IconDeviceMobilePlus size={16} />}
        onClick={() => {
          setOpened(true);
          start.mutate();
        }}
      >
        Add this browser as a test device…
      </Button>
      <Modal opened={opened} onClose={close} title="Add a browser as a test device" size="lg">
        <Stack gap="md">
          {start.error ? <Alert color="red">{start.error.message}</Alert> : null}
          {started ? (
            <>
              <Text size="sm">
                {started.opened
                  ? 'The page opened in your browser. '
                  : 'Open this address in the browser you want to add. '}
                Click “Subscribe this browser” there and allow notifications: it then receives{' '}
                {props.appName ? `${props.appName}’s` : 'this app’s'} tests. Another browser on this computer
                can open the same address.
              </Text>
              <TextInput
                label="Registration address"
                description="Works once, on this computer only, until it expires."
                readOnly
                value={started.url}
                onFocus={(event) => event.currentTarget.select()}
                styles={{ input: { fontFamily: 'monospace' } }}
              />
              {ended?.state === 'registered' ? (
                <Alert color="teal" icon={<IconCheck size={18} />} title="Test device added">
                  {ended.device.label} is now a test device{props.appName ? ` of ${props.appName}` : ''}.
                  “Send test” reaches it.
                </Alert>
              ) : ended ? (
                <Alert color="yellow" title={ended.state === 'expired' ? 'The page expired' : 'Stopped'}>
                  No browser was added. Start again to get a new address.
                </Alert>
              ) : (
                <Group gap="xs">
                  <Loader size="xs" />
                  <Text size="sm" c="dimmed">
                    Waiting for the browser, until {new Date(started.expiresAt).toLocaleTimeString()}…
                  </Text>
                </Group>
              )}
            </>
          ) : start.isPending ? (
            <Loader size="sm" />
          ) : null}
          <Group justify="flex-end">
            {ended && ended.state !== 'registered' ? (
              <Button variant="default" onClick={() => start.mutate()}>
                Start again
              </Button>
            ) : null}
            <Button onClick={close}>{ended?.state === 'registered' ? 'Done' : 'Close'}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
