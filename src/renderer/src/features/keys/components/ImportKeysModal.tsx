// Import a key pair: paste a .env file or web-push's JSON, or drop the file. Importing into an existing app
// replaces its key, so the modal first says how many subscriptions that orphans.
import { Alert, Autocomplete, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import type { AppSummary, RotationPreview } from '../../../../../shared/apps.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useKeysMutation } from '../mutations.ts';
import { rotationPreviewQuery } from '../queries.ts';
import { SubjectInput, subjectError } from '../../apps/components/SubjectInput.tsx';
import { DialogActions } from '../../../components/DialogActions.tsx';
import { showError } from '../../../components/show-error.ts';

const MAX_FILE_BYTES = 100_000;

export function ImportKeysModal(props: {
  opened: boolean;
  onClose: () => void;
  apps: readonly AppSummary[];
  onImported: (app: AppSummary) => void;
}) {
  const [appName, setAppName] = useState('');
  const [pasted, setPasted] = useState('');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [subject, setSubject] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<RotationPreview | null>(null);
  const importKeys = useKeysMutation('keys.import');
  const queryClient = useQueryClient();

  const existing = props.apps.find((app) => app.name.toLowerCase() === appName.trim().toLowerCase());
  const text = file?.text ?? pasted;
  const subjectProblem = subjectError(subject, false);
  const ready = appName.trim() !== '' && text.trim() !== '' && !subjectProblem;

  const close = () => {
    setAppName('');
    setPasted('');
    setFile(null);
    setSubject('');
    setFileError(null);
    setReplacing(null);
    importKeys.reset();
    props.onClose();
  };

  const run = (confirmOrphaned?: number) =>
    importKeys.mutate(
      { app: appName.trim(), text, ...(subject.trim() ? { subject: subject.trim() } : {}), confirmOrphaned },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'green',
            message: result.created
              ? `Created ${result.app.name} with the imported key pair.`
              : `Imported the key pair into ${result.app.name}.`,
          });
          props.onImported(result.app);
          close();
        },
      },
    );

  const submit = async () => {
    if (!ready) return;
    if (existing && existing.publicKey && !replacing) {
      const preview = await queryClient
        .fetchQuery(rotationPreviewQuery(existing.id))
        .catch(showError('Could not check the app'));
      if (!preview) return;
      if (preview.orphaned > 0) {
        setReplacing(preview);
        return;
      }
    }
    run(replacing?.orphaned);
  };

  return (
    <Modal opened={props.opened} onClose={close} title="Import a key pair" size="lg">
      <Stack>
        <Autocomplete
          label="App"
          description="A new name creates the app; an existing app gets this pair as its new key."
          placeholder="example.com"
          required
          data={props.apps.map((app) => app.name)}
          value={appName}
          onChange={(value) => {
            setAppName(value);
            setReplacing(null);
          }}
        />
        <Dropzone
          onDrop={(files) => {
            const dropped = files[0];
            if (!dropped) return;
            setFileError(null);
            void dropped.text().then((content) => setFile({ name: dropped.name, text: content }));
          }}
          onReject={() => setFileError('Drop one text file (.env or .json) under 100 kB.')}
          maxSize={MAX_FILE_BYTES}
          multiple={false}
          aria-label="Drop a .env or JSON key file"
          data-testid="key-dropzone"
        >
          <Group justify="center" gap="sm" mih={72} style={{ pointerEvents: 'none' }}>
            <IconFileImport size={28} stroke={1.5} aria-hidden />
            <div>
              <Text size="sm">Drop a .env file or web-push JSON here, or click to choose one</Text>
              <Text size="xs" c="dimmed">
                VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and optionally VAPID_SUBJECT
              </Text>
            </div>
          </Group>
        </Dropzone>
        {fileError && (
          <Text c="red" size="sm">
            {fileError}
          </Text>
        )}
        {file ? (
          <Group justify="space-between" data-testid="loaded-key-file">
            <Text size="sm">
              Loaded <b>{file.name}</b>
            </Text>
            <Button variant="subtle" size="xs" onClick={() => setFile(null)}>
              Remove
            </Button>
          </Group>
        ) : (
          <Textarea
            label="Or paste"
            description="The .env lines, or the output of npx web-push generate-vapid-keys --json"
            placeholder={'VAPID_PUBLIC_KEY=B…\nVAPID_PRIVATE_KEY=…\nVAPID_SUBJECT=mailto:you@example.com'}
            autosize
            minRows={3}
            maxRows={8}
            spellCheck={false}
            styles={{ input: { fontFamily: 'monospace' } }}
            value={pasted}
            onChange={(event) => setPasted(event.currentTarget.value)}
          />
        )}
        <SubjectInput
          value={subject}
          onChange={setSubject}
          required={false}
          touched={false}
          description="Optional when the file has VAPID_SUBJECT or the app exists; needed for a new app otherwise."
        />
        {replacing && (
          <Alert
            color="orange"
            title={`This replaces the key of ${replacing.app}`}
            data-testid="import-orphan-warning"
          >
            {replacing.orphaned} active subscription{replacing.orphaned === 1 ? ' was' : 's were'} created
            with earlier keys and will be orphaned: Pushdeck keeps the old key so they can still be sent to,
            until your site subscribes them again with the new key.
          </Alert>
        )}
        <DialogActions onCancel={close} error={importKeys.error} errorTitle="Could not import the keys">
          <Button
            color={replacing ? 'orange' : undefined}
            disabled={!ready}
            loading={importKeys.isPending}
            onClick={() => void submit()}
          >
            {replacing ? `Replace key, orphan ${replacing.orphaned}` : 'Import'}
          </Button>
        </DialogActions>
      </Stack>
    </Modal>
  );
}
