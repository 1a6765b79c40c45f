// The foot of a dialog: what went wrong with its last try (if anything), then Cancel and its own button.
import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert.tsx';

export function DialogActions(props: {
  onCancel: () => void;
  /** The error of the dialog's mutation, shown above the buttons with `errorTitle`. */
  error?: Error | null;
  errorTitle?: string;
  children: ReactNode;
}) {
  return (
    <>
      <ErrorAlert error={props.error} title={props.errorTitle} />
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        {props.children}
      </Group>
    </>
  );
}
