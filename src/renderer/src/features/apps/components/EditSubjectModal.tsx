// Change an app's VAPID subject, checked as the user types.
import { Button, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../../keys/mutations.ts';
import { SubjectInput, subjectError } from './SubjectInput.tsx';
import { DialogActions } from '../../../components/DialogActions.tsx';

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
          <DialogActions onCancel={close} error={save.error}>
            <Button
              disabled={subjectError(value, true) !== null}
              loading={save.isPending}
              onClick={() => save.mutate({ appId: app.id, subject: value.trim() }, { onSuccess: close })}
            >
              Save
            </Button>
          </DialogActions>
        </Stack>
      )}
    </Modal>
  );
}
