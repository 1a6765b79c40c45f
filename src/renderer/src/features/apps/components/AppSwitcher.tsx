// The navbar's app switcher: every area works on the app chosen here.
import { Button, Select } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useCurrentApp } from '../current-app.ts';
import { appListQuery } from '../queries.ts';

export function AppSwitcher(props: { onCreate: () => void }) {
  const apps = useQuery(appListQuery());
  const { app, setAppId } = useCurrentApp();
  if (apps.data && apps.data.length === 0) {
    return (
      <Button
        variant="light"
        size="xs"
        leftSection={<IconPlus size={14} />}
        onClick={props.onCreate}
        mx="xs"
        mb="md"
      >
        Create your first app
      </Button>
    );
  }
  return (
    <Select
      aria-label="Current app"
      label="App"
      size="xs"
      px="xs"
      mb="md"
      allowDeselect={false}
      searchable={(apps.data?.length ?? 0) > 8}
      data={(apps.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
      value={app ? String(app.id) : null}
      onChange={(value) => value && setAppId(Number(value))}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
