// Change an app's VAPID subject, checked as the user types.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../../keys/mutations.ts';
import { SubjectInput, subjectError } from './SubjectInput.tsx';

export function EditSubjectModal(props: { app: AppSummary | null; onClose: () => void }) {
  const [subject, setSubject] = useState<string | null>(null);
  const save = useKeysMutation('apps.setSubject');
  const app = props.app;
  const value = subject ?? app?.subject ?? '';
  const close = () => {
    setSubject(null);
    save.reset();
    props.onClose();
  };
  return (
    <Modal opened={app !== null} onClose={close} title={app ? `Subject of ${app.name}` : ''} size="lg">
      {app && (
        <Stack>
          <SubjectInput value={value} onChange={setSubject} required touched />
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={subjectError(value, true) !== null}
              loading={save.isPending}
              onClick={() => save.mutate({ appId: app.id, subject: value.trim() }, { onSuccess: close })}
            >
              Save
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
