// Templates in the composer: load one, save the current message as one, and rename, duplicate or delete.
import { Button, Group, Menu, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCopy, IconDeviceFloppy, IconPencil, IconTemplate, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MessageSpec, TemplateSummary } from '../../../../../shared/compose.ts';
import { useDeleteTemplate, useDuplicateTemplate, useRenameTemplate, useSaveTemplate } from '../mutations.ts';
import { templateQuery, templatesQuery } from '../queries.ts';
import { SaveAsModal } from './SaveAsModal.tsx';
import { TipIcon } from '../../../components/TipIcon.tsx';

export function TemplateMenu(props: {
  appId: number;
  message: MessageSpec;
  onLoad: (message: MessageSpec, name: string) => void;
}) {
  const templates = useQuery(templatesQuery(props.appId));
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const save = useSaveTemplate();
  const list = templates.data ?? [];

  const load = async (t: TemplateSummary) => {
    const template = await queryClient.fetchQuery(templateQuery(t.id));
    props.onLoad(template.message, template.name);
  };

  return (
    <>
      <Menu position="bottom-end" width={260} shadow="md">
        <Menu.Target>
          <Button variant="default" leftSection={<IconTemplate size={16} />}>
            Templates
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{list.length ? 'Load a template' : 'No templates yet'}</Menu.Label>
          {list.map((t) => (
            <Menu.Item key={t.id} onClick={() => void load(t)}>
              <Text size="sm" truncate>
                {t.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {t.title ?? t.format}
              </Text>
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconDeviceFloppy size={16} />} onClick={() => setSaving(true)}>
            Save as template…
          </Menu.Item>
          <Menu.Item
            leftSection={<IconPencil size={16} />}
            onClick={() => setManaging(true)}
            disabled={!list.length}
          >
            Manage templates…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SaveAsModal
        noun="template"
        placeholder="Weekly newsletter"
        opened={saving}
        onClose={() => setSaving(false)}
        onSave={(name, overwrite) =>
          save.mutate(
            { appId: props.appId, name, message: props.message, overwrite },
            { onSuccess: () => setSaving(false) },
          )
        }
        existing={list.map((t) => t.name)}
        pending={save.isPending}
      />
      <ManageTemplatesModal opened={managing} onClose={() => setManaging(false)} templates={list} />
    </>
  );
}

function ManageTemplatesModal(props: { opened: boolean; onClose: () => void; templates: TemplateSummary[] }) {
  const rename = useRenameTemplate();
  const duplicate = useDuplicateTemplate();
  const remove = useDeleteTemplate();
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Templates" size="lg">
      <Table verticalSpacing="xs">
        <Table.Tbody>
          {props.templates.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                {editing?.id === t.id ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      rename.mutate({ id: t.id, name: editing.name }, { onSuccess: () => setEditing(null) });
                    }}
                  >
                    <TextInput
                      size="xs"
                      aria-label="New name"
                      value={editing.name}
                      onChange={(e) => setEditing({ id: t.id, name: e.currentTarget.value })}
                      onBlur={() => setEditing(null)}
                      autoFocus
                    />
                  </form>
                ) : (
                  <Stack gap={0}>
                    <Text size="sm">{t.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t.format} · {t.title ?? 'no title'}
                    </Text>
                  </Stack>
                )}
              </Table.Td>
              <Table.Td w={120}>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <TipIcon
                    tip="Rename"
                    label={`Rename ${t.name}`}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => setEditing({ id: t.id, name: t.name })}
                  >
                    <IconPencil size={16} />
                  </TipIcon>
                  <TipIcon
                    tip="Duplicate"
                    label={`Duplicate ${t.name}`}
                    onClick={() => duplicate.mutate({ id: t.id })}
                  >
                    <IconCopy size={16} />
                  </TipIcon>
                  <TipIcon
                    tip="Delete"
                    color="red"
                    label={`Delete ${t.name}`}
                    onClick={() =>
                      modals.openConfirmModal({
                        title: `Delete template ${t.name}?`,
                        children: (
                          <Text size="sm">Campaigns already created from it keep their message.</Text>
                        ),
                        labels: { confirm: 'Delete', cancel: 'Keep' },
                        confirmProps: { color: 'red' },
                        onConfirm: () => remove.mutate({ id: t.id }),
                      })
                    }
                  >
                    <IconTrash size={16} />
                  </TipIcon>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
