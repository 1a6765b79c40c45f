// "Save as…" for templates and segments: a name, and a clear word when that name would replace one.
import { Button, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { DialogActions } from '../../../components/DialogActions.tsx';

export function SaveAsModal(props: {
  /** What is saved, in lower case: "template", "segment". */
  noun: string;
  placeholder: string;
  opened: boolean;
  onClose: () => void;
  onSave: (name: string, overwrite: boolean) => void;
  existing: string[];
  pending: boolean;
}) {
  const [name, setName] = useState('');
  const trimmed = name.trim();
  const exists = props.existing.includes(trimmed);
  const Noun = props.noun[0]!.toUpperCase() + props.noun.slice(1);
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={`Save as ${props.noun}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed) props.onSave(trimmed, exists);
        }}
      >
        <Stack>
          <TextInput
            label={`${Noun} name`}
            placeholder={props.placeholder}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            description={exists ? `A ${props.noun} with this name exists: saving replaces it.` : undefined}
            data-autofocus
          />
          <DialogActions onCancel={props.onClose}>
            <Button type="submit" loading={props.pending} disabled={!trimmed}>
              {exists ? `Replace ${props.noun}` : `Save ${props.noun}`}
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Modal>
  );
}
