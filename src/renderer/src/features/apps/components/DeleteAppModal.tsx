// Delete an app: its keys and subscribers go for good, so the name must be typed again.
import { Alert, Button, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../../keys/mutations.ts';
import { DialogActions } from '../../../components/DialogActions.tsx';

export function DeleteAppModal(props: { app: AppSummary | null; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const remove = useKeysMutation('apps.delete');
  const app = props.app;
  const close = () => {
    setTyped('');
    remove.reset();
    props.onClose();
  };
  const matches = app !== null && typed.trim().toLowerCase() === app.name.toLowerCase();
  return (
    <Modal opened={app !== null} onClose={close} title={app ? `Delete ${app.name}?` : ''}>
      {app && (
        <Stack>
          <Alert color="red">
            Its key pair{app.retiredKeys > 0 ? ` and ${app.retiredKeys} older keys` : ''}, its subscribers and
            its campaigns are deleted for good. Export the private key first if your site still uses it.
          </Alert>
          <TextInput
            label={`Type ${app.name} to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
          />
          <DialogActions onCancel={close} error={remove.error}>
            <Button
              color="red"
              disabled={!matches}
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(
                  { appId: app.id, confirmName: typed },
                  {
                    onSuccess: ({ deleted }) => {
                      notifications.show({ color: 'green', message: `Deleted ${deleted}.` });
                      close();
                    },
                  },
                )
              }
            >
              Delete app
            </Button>
          </DialogActions>
        </Stack>
      )}
    </Modal>
  );
}
