// The one confirmation before a draft is deleted, from the history and from the campaign's page.
import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';

export function confirmDeleteDraft(name: string, onConfirm: () => void): void {
  modals.openConfirmModal({
    title: 'Delete this draft?',
    children: <Text size="sm">“{name}” has never been sent. It will be gone.</Text>,
    labels: { confirm: 'Delete draft', cancel: 'Keep it' },
    confirmProps: { color: 'red' },
    onConfirm,
  });
}
