// The foot of a dialog: what went wrong with its last try (if anything), then Cancel and its own button.
import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

export function DialogActions(props: {
  onCancel: () => void;
  /** The error of the dialog's mutation, shown above the buttons with `errorTitle`. */
  error?: Error | null;
  errorTitle?: string;
  children: ReactNode;
}) {
  return (
    <>
      {props.error && (
        <Alert color="red" title={props.errorTitle}>
          {props.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        {props.children}
      </Group>
    </>
  );
}
