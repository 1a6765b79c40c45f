// Export the private key: only after an explicit confirmation, and main writes the file itself (from a
// save dialog), so the key never comes back to this page.
import { Alert, Button, Checkbox, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../mutations.ts';
import { DialogActions } from '../../../components/DialogActions.tsx';

export function ExportPrivateKeyModal(props: { app: AppSummary | null; onClose: () => void }) {
  const [format, setFormat] = useState<'env' | 'json'>('env');
  const [understood, setUnderstood] = useState(false);
  const exportKey = useKeysMutation('keys.exportPrivate');
  const app = props.app;

  const close = () => {
    setUnderstood(false);
    exportKey.reset();
    props.onClose();
  };

  return (
    <Modal
      opened={app !== null}
      onClose={close}
      title={app ? `Export the private key of ${app.name}` : ''}
      size="lg"
    >
      {app && (
        <Stack>
          <Alert color="red" title="Keep this file secret">
            Anyone with the private key can send notifications to every subscriber of {app.name}. Pushdeck
            writes the file readable by you only.
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Format
            </Text>
            <SegmentedControl
              value={format}
              onChange={(value) => setFormat(value as 'env' | 'json')}
              data={[
                { value: 'env', label: '.env' },
                { value: 'json', label: 'JSON' },
              ]}
              w={240}
            />
            <Text size="xs" c="dimmed">
              {format === 'env'
                ? 'VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT lines.'
                : 'publicKey and privateKey, as web-push generate-vapid-keys --json prints them, and subject.'}{' '}
              Pushdeck imports either back.
            </Text>
          </Stack>
          <Checkbox
            checked={understood}
            onChange={(event) => setUnderstood(event.currentTarget.checked)}
            label={`I understand that this file gives full sending rights for ${app.name}.`}
          />
          <DialogActions onCancel={close} error={exportKey.error} errorTitle="The key was not exported">
            <Button
              color="red"
              disabled={!understood}
              loading={exportKey.isPending}
              onClick={() =>
                exportKey.mutate(
                  { appId: app.id, format, confirm: true },
                  {
                    onSuccess: (result) => {
                      notifications.show(
                        result.saved
                          ? { color: 'green', title: 'Private key saved', message: result.path }
                          : { color: 'gray', message: 'Export cancelled: nothing was saved.' },
                      );
                      close();
                    },
                  },
                )
              }
            >
              Save private key…
            </Button>
          </DialogActions>
        </Stack>
      )}
    </Modal>
  );
}
