// One app's key: the public key and a subscribe snippet to copy, and the deliberate acts on the key.
import { ActionIcon, Button, Card, Code, Group, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCopy, IconDownload, IconPencil, IconRefresh, IconTrash } from '@tabler/icons-react';
import { subscribeSnippet, type AppSummary } from '../../../../../shared/apps.ts';
import { copyText } from './copy-text.ts';
import { useConfirmRotation } from './key-actions.tsx';
import { ProtectionBadge } from './ProtectionBadge.tsx';

export function AppKeyPanel(props: {
  app: AppSummary;
  onEditSubject: () => void;
  onExportPrivate: () => void;
  onDelete: () => void;
}) {
  const { app } = props;
  const confirmRotation = useConfirmRotation();
  const snippet = app.publicKey ? subscribeSnippet(app.publicKey) : null;
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
              <Tooltip label="Change the subject">
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label="Change the subject"
                  onClick={props.onEditSubject}
                >
                  <IconPencil size={14} />
                </ActionIcon>
              </Tooltip>
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
            <Tooltip label="Delete this app">
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label="Delete app"
                onClick={props.onDelete}
              >
                <IconTrash size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        {app.publicKey && snippet ? (
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
                <Tooltip label="Copy the public key">
                  <ActionIcon
                    variant="subtle"
                    aria-label="Copy public key"
                    onClick={() => void copyText(app.publicKey!, 'Public key')}
                  >
                    <IconCopy size={16} />
                  </ActionIcon>
                </Tooltip>
              }
            />
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>
                  Subscribe snippet for your site
                </Text>
                <Button
                  variant="subtle"
                  size="xs"
                  leftSection={<IconCopy size={14} />}
                  onClick={() => void copyText(snippet, 'Snippet')}
                >
                  Copy snippet
                </Button>
              </Group>
              <Code block data-testid="subscribe-snippet" style={{ maxHeight: 220, overflow: 'auto' }}>
                {snippet}
              </Code>
            </Stack>
          </>
        ) : (
          <Text c="dimmed">This app has no key pair. Import one or rotate to generate one.</Text>
        )}
      </Stack>
    </Card>
  );
}
