// The Undo button of a "moved to the trash" notification.
import { Button } from '@mantine/core';

export function UndoButton(props: { onClick: () => void }) {
  return (
    <Button variant="light" size="compact-sm" mt={4} onClick={props.onClick}>
      Undo
    </Button>
  );
}
