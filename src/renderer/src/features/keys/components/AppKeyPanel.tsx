// One app's key: the public key, the subscribe code and service worker to copy (the core's, as in Setup
// help), and the deliberate acts on the key.
import { Button, Card, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCopy, IconDownload, IconPencil, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { call } from '../../../api/client.ts';
import { composeKeys } from '../../compose/queries.ts';
import { AddTestDeviceButton } from '../../test-devices/components/AddTestDeviceButton.tsx';
import { copyText } from './copy-text.ts';
import { useConfirmRotation } from './key-actions.tsx';
import { ProtectionBadge } from './ProtectionBadge.tsx';
import { TipIcon } from '../../../components/TipIcon.tsx';

export function AppKeyPanel(props: {
  app: AppSummary;
  onEditSubject: () => void;
  onExportPrivate: () => void;
  onDelete: () => void;
}) {
  const { app } = props;
  const confirmRotation = useConfirmRotation();
  // Keyed by the public key too: a rotation changes the subscribe code.
  const snippets = useQuery({
    queryKey: [...composeKeys.setup(app.id), app.publicKey],
    queryFn: () => call('apps.snippet', { appId: app.id }),
    enabled: app.publicKey !== null,
  });
  const snippet = snippets.data?.subscribe ?? null;
  const serviceWorker = snippets.data?.serviceWorker ?? null;
  return (
    <Card withBorder padding="lg" data-testid="app-key-panel">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={3}>{app.name}</Title>
              <ProtectionBadge app={app} />
            </Group>
            <Group gap={4}>
              <Text size="sm" c="dimmed">
                Subject: {app.subject}
              </Text>
              <TipIcon tip="Change the subject" size="sm" onClick={props.onEditSubject}>
                <IconPencil size={14} />
              </TipIcon>
            </Group>
          </Stack>
          <Group gap="xs">
            <Button
              variant="light"
              color="orange"
              leftSection={<IconRefresh size={16} />}
              onClick={() => void confirmRotation(app)}
            >
              Rotate key…
            </Button>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              onClick={props.onExportPrivate}
            >
              Export private key…
            </Button>
            <TipIcon tip="Delete this app" label="Delete app" color="red" size="lg" onClick={props.onDelete}>
              <IconTrash size={18} />
            </TipIcon>
          </Group>
        </Group>

        {app.publicKey ? (
          <>
            <TextInput
              label="Public key (applicationServerKey)"
              description={`base64url, fingerprint ${app.fingerprint}${
                app.retiredKeys > 0
                  ? ` · ${app.retiredKeys} older key${app.retiredKeys === 1 ? '' : 's'} kept for their subscriptions`
                  : ''
              }`}
              readOnly
              value={app.publicKey}
              onFocus={(event) => event.currentTarget.select()}
              styles={{ input: { fontFamily: 'monospace' } }}
              rightSectionWidth={40}
              rightSection={
                <TipIcon
                  tip="Copy the public key"
                  label="Copy public key"
                  onClick={() => void copyText(app.publicKey!, 'Public key')}
                >
                  <IconCopy size={16} />
                </TipIcon>
              }
            />
            {snippet ? (
              <Stack gap={4}>
                <Group justify="space-between">
                  <Text size="sm" fw={500}>
                    Subscribe snippet for your site
                  </Text>
                  <Group gap={4}>
                    <Button
                      variant="subtle"
                      size="xs"
                      leftSection={<IconCopy size={14} />}
                      onClick={() => void copyText(snippet, 'Snippet')}
                    >
                      Copy snippet
                    </Button>
                    {serviceWorker ? (
                      <Button
                        variant="subtle"
                        size="xs"
                        leftSection={<IconCopy size={14} />}
                        onClick={() => void copyText(serviceWorker, 'Service worker')}
                      >
                        Copy sw.js
                      </Button>
                    ) : null}
                  </Group>
                </Group>
                <Text size="xs" c="dimmed">
                  Run subscribeToPush() from a click; serve the service worker (sw.js) from your site&apos;s
                  root.
                </Text>
                <Code block data-testid="subscribe-snippet" style={{ maxHeight: 220, overflow: 'auto' }}>
                  {snippet}
                </Code>
              </Stack>
            ) : null}
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                See a notification on your own screen before your subscribers do.
              </Text>
              <AddTestDeviceButton appId={app.id} appName={app.name} variant="default" />
            </Group>
          </>
        ) : (
          <Text c="dimmed">This app has no key pair. Import one or rotate to generate one.</Text>
        )}
      </Stack>
    </Card>
  );
}
