// What can be done to the selected subscriptions (or to every one the filter matches): tag, untag, move to
// the trash, or, in the trash, restore. Every action first says how many subscriptions it will touch.
import { Button, Group, Popover, Select, Stack, TagsInput, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconRestore, IconTag, IconTagOff, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Selection } from '../../../../../shared/subscriptions.ts';
import { useDeleteSubscriptions, useRestoreSubscriptions, useTagSubscriptions } from '../mutations.ts';

function plural(count: number): string {
  return `${count.toLocaleString()} subscription${count === 1 ? '' : 's'}`;
}

export function BulkActions(props: {
  appId: number;
  selection: Selection;
  count: number;
  inTrash: boolean;
  tags: string[];
  onDone: () => void;
}) {
  const { appId, selection, count } = props;
  const tag = useTagSubscriptions(appId);
  const remove = useDeleteSubscriptions(appId);
  const restore = useRestoreSubscriptions(appId);
  const [addTags, setAddTags] = useState<string[]>([]);
  const [untag, setUntag] = useState<string | null>(null);
  const [tagOpen, setTagOpen] = useState(false);
  const [untagOpen, setUntagOpen] = useState(false);

  const confirmTag = (add: string[], removeTags: string[]) =>
    modals.openConfirmModal({
      title: add.length ? `Tag ${plural(count)}?` : `Untag ${plural(count)}?`,
      children: (
        <Text size="sm">
          {add.length ? `Adds ${add.join(', ')} to` : `Removes ${removeTags.join(', ')} from`} {plural(count)}
          .
        </Text>
      ),
      labels: { confirm: add.length ? 'Add tag' : 'Remove tag', cancel: 'Cancel' },
      onConfirm: () =>
        tag.mutate(
          { selection, add, remove: removeTags },
          {
            onSuccess: () => {
              setAddTags([]);
              setUntag(null);
              props.onDone();
            },
          },
        ),
    });

  if (props.inTrash) {
    return (
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {plural(count)} selected
        </Text>
        <Button
          size="xs"
          loading={restore.isPending}
          leftSection={<IconRestore size={14} />}
          onClick={() =>
            modals.openConfirmModal({
              title: `Restore ${plural(count)}?`,
              children: <Text size="sm">They go back to the list and into audiences again.</Text>,
              labels: { confirm: 'Restore', cancel: 'Cancel' },
              onConfirm: () => restore.mutate({ selection }, { onSuccess: props.onDone }),
            })
          }
        >
          Restore
        </Button>
      </Group>
    );
  }

  return (
    <Group gap="xs">
      <Text size="sm" fw={600} data-testid="selection-count">
        {plural(count)} selected
      </Text>
      <Popover opened={tagOpen} onChange={setTagOpen} width={360} position="bottom-start" withArrow trapFocus>
        <Popover.Target>
          <Button
            size="xs"
            variant="light"
            loading={tag.isPending}
            leftSection={<IconTag size={14} />}
            onClick={() => setTagOpen((o) => !o)}
          >
            Add tag
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TagsInput
              label="Tags to add"
              data={props.tags}
              value={addTags}
              onChange={setAddTags}
              placeholder="Type a tag, press Enter"
              comboboxProps={{ withinPortal: false }}
              style={{ flex: 1 }}
            />
            <Button
              size="xs"
              disabled={addTags.length === 0}
              onClick={() => {
                setTagOpen(false);
                confirmTag(addTags, []);
              }}
            >
              Apply
            </Button>
          </Group>
        </Popover.Dropdown>
      </Popover>
      <Popover
        opened={untagOpen}
        onChange={setUntagOpen}
        width={260}
        position="bottom-start"
        withArrow
        trapFocus
      >
        <Popover.Target>
          <Button
            size="xs"
            variant="light"
            loading={tag.isPending}
            leftSection={<IconTagOff size={14} />}
            disabled={props.tags.length === 0}
            onClick={() => setUntagOpen((o) => !o)}
          >
            Remove tag
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Select
              label="Tag to remove"
              data={props.tags}
              value={untag}
              onChange={setUntag}
              comboboxProps={{ withinPortal: false }}
            />
            <Button
              size="xs"
              disabled={!untag}
              onClick={() => {
                setUntagOpen(false);
                if (untag) confirmTag([], [untag]);
              }}
            >
              Remove
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <Button
        size="xs"
        color="red"
        variant="light"
        loading={remove.isPending}
        leftSection={<IconTrash size={14} />}
        onClick={() =>
          modals.openConfirmModal({
            title: `Move ${plural(count)} to the trash?`,
            children: (
              <Text size="sm">
                They leave the list and every audience. You can undo this, or restore them from the trash
                later.
              </Text>
            ),
            labels: { confirm: 'Move to the trash', cancel: 'Cancel' },
            confirmProps: { color: 'red' },
            onConfirm: () => remove.mutate(selection, { onSuccess: props.onDone }),
          })
        }
      >
        Delete
      </Button>
    </Group>
  );
}
