// Setup help for the current app: the service worker that shows Pushdeck's payload, and the subscribe code
// with the app's public key, each ready to copy.
import { Button, Code, CopyButton, Group, Modal, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { setupQuery } from '../queries.ts';

function Snippet(props: { title: string; description: string; code: string }) {
  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Title order={5}>{props.title}</Title>
        <CopyButton value={props.code}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              onClick={copy}
            >
              {copied ? 'Copied' : `Copy ${props.title}`}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed">
        {props.description}
      </Text>
      <ScrollArea.Autosize mah={260}>
        <Code block>{props.code}</Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}

export function SetupHelp(props: { appId: number; appName: string; opened: boolean; onClose: () => void }) {
  const snippets = useQuery({ ...setupQuery(props.appId), enabled: props.opened });
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={`Set up ${props.appName}`} size="xl">
      {snippets.data ? (
        <Stack gap="lg">
          <Snippet
            title="sw.js"
            description="The service worker that shows every payload Pushdeck sends and opens the click and button URLs. Serve it from your site's root."
            code={snippets.data.serviceWorker}
          />
          <Snippet
            title="subscribe code"
            description="Subscribes a visitor with this app's public key; send the subscription to your server and import it here."
            code={snippets.data.subscribe}
          />
        </Stack>
      ) : (
        <Text c={snippets.error ? 'red' : 'dimmed'}>
          {snippets.error ? snippets.error.message : 'Loading…'}
        </Text>
      )}
    </Modal>
  );
}
