// Create an app: a name and a subject, checked as the user types; Pushdeck generates the key pair.
import { Button, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../../keys/mutations.ts';
import { SubjectInput, subjectError } from './SubjectInput.tsx';
import { DialogActions } from '../../../components/DialogActions.tsx';

function nameError(name: string, apps: readonly AppSummary[]): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the app a name, like example.com.';
  if (trimmed.length > 80) return 'At most 80 characters.';
  if (apps.some((app) => app.name.toLowerCase() === trimmed.toLowerCase()))
    return `${trimmed} already exists.`;
  return null;
}

export function CreateAppModal(props: {
  opened: boolean;
  onClose: () => void;
  apps: readonly AppSummary[];
  onCreated: (app: AppSummary) => void;
}) {
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useKeysMutation('apps.create');
  const errors = { name: nameError(name, props.apps), subject: subjectError(subject, true) };

  const close = () => {
    setName('');
    setSubject('');
    setTouched(false);
    create.reset();
    props.onClose();
  };

  const submit = () => {
    setTouched(true);
    if (errors.name || errors.subject) return;
    create.mutate(
      { name: name.trim(), subject: subject.trim() },
      {
        onSuccess: (app) => {
          notifications.show({ color: 'green', message: `Created ${app.name} with a new VAPID key pair.` });
          props.onCreated(app);
          close();
        },
      },
    );
  };

  return (
    <Modal opened={props.opened} onClose={close} title="New app" size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack>
          <TextInput
            label="Name"
            description="One website or origin, with its own key pair and subscribers."
            placeholder="example.com"
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={touched || name !== '' ? errors.name : null}
          />
          <SubjectInput value={subject} onChange={setSubject} required touched={touched} />
          <DialogActions onCancel={close} error={create.error} errorTitle="Could not create the app">
            <Button type="submit" loading={create.isPending}>
              Create app
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Modal>
  );
}
