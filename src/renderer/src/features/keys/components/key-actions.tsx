// The deliberate acts on an app's key, each behind a confirmation that says what it costs: rotating
// (how many subscriptions it orphans) and deleting the app (type its name).
import { Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../../shared/contract.ts';
import { useKeysMutation } from '../mutations.ts';
import { rotationPreviewQuery } from '../queries.ts';
import { showError } from '../../../components/show-error.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Asks before rotating: fetches what the rotation would orphan and says it in the confirmation. */
export function useConfirmRotation(): (app: AppSummary) => Promise<void> {
  const queryClient = useQueryClient();
  const rotate = useKeysMutation('keys.rotate');
  return (app) => confirmRotation(app, queryClient, rotate.mutateAsync);
}

async function confirmRotation(
  app: AppSummary,
  queryClient: QueryClient,
  rotate: (input: ChannelInput<'keys.rotate'>) => Promise<ChannelOutput<'keys.rotate'>>,
): Promise<void> {
  const preview = await queryClient
    .fetchQuery(rotationPreviewQuery(app.id))
    .catch(showError('Could not prepare the rotation'));
  if (!preview) return;
  modals.openConfirmModal({
    title: `Rotate the key of ${app.name}?`,
    children: (
      <Stack gap="xs" data-testid="rotate-warning">
        <Text fw={600} c={preview.orphaned > 0 ? 'orange' : undefined}>
          This orphans {plural(preview.orphaned, 'active subscription')}.
        </Text>
        <Text size="sm">
          A subscription only accepts messages signed with the key it was created with. Pushdeck keeps the old
          key ({preview.currentFingerprint}) so these subscriptions can still be sent to, until your site
          subscribes them again with the new public key.
          {preview.onRetiredKeys > 0 &&
            ` ${preview.onRetiredKeys} of them ${preview.onRetiredKeys === 1 ? 'was' : 'were'} already on older keys.`}
        </Text>
        <Text size="sm">Update applicationServerKey on your site to the new key after rotating.</Text>
      </Stack>
    ),
    labels: { confirm: `Rotate and orphan ${preview.orphaned}`, cancel: 'Cancel' },
    confirmProps: { color: 'orange' },
    onConfirm: () => {
      rotate({ appId: app.id, confirmOrphaned: preview.orphaned })
        .then((result) =>
          notifications.show({
            color: 'green',
            title: `Rotated the key of ${result.app.name}`,
            message: `New key ${result.app.fingerprint}. ${plural(result.orphaned, 'subscription')} stay on the old key.`,
          }),
        )
        .catch(showError('The key was not rotated'));
    },
  });
}
