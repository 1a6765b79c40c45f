// The audience half of the composer: everyone, a filter (tags, push services, dates, saved segments), the
// test devices, or one subscriber found by endpoint or label, with the recipient count updated live.
import {
  ActionIcon,
  Badge,
  Button,
  Chip,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconDeviceFloppy, IconSearch, IconTrash, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AddTestDeviceButton } from '../../test-devices/components/AddTestDeviceButton.tsx';
import {
  pushServices,
  TEST_DEVICE_TAG,
  type AudienceFilter,
  type PushService,
} from '../../../../../shared/compose.ts';
import { useDeleteSegment, useSaveSegment } from '../mutations.ts';
import { countQuery, searchQuery, segmentsQuery, tagsQuery } from '../queries.ts';
import { subscriptionFacetsQuery } from '../../subscriptions/queries.ts';
import { NO_ZONE, zoneFilterOptions, zoneFilterValue } from '../../subscriptions/time-zone-filter.ts';
import { HeldBackLine } from './HeldBackLine.tsx';
import { SaveAsModal } from './SaveAsModal.tsx';
import { FieldConditionsInput } from '../../../components/FieldConditionsInput.tsx';

type Mode = 'all' | 'filter' | 'test' | 'one';

const serviceNames: Record<PushService, string> = {
  fcm: 'Chrome / FCM',
  mozilla: 'Firefox',
  apple: 'Safari / Apple',
  wns: 'Edge / WNS',
  other: 'Other',
};

const tagFilters = [
  ['tagsAny', 'Any of these tags'],
  ['tagsAll', 'All of these tags'],
  ['tagsNone', 'None of these tags'],
] as const;

function modeOf(audience: AudienceFilter): Mode {
  if (audience.testDevices) return 'test';
  if (audience.subscriptionIds?.length || audience.endpoints?.length) return 'one';
  return Object.values(audience).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    ? 'filter'
    : 'all';
}

/** Drops empty members so that equal audiences have equal query keys. */
function tidy(audience: AudienceFilter): AudienceFilter {
  return Object.fromEntries(
    Object.entries(audience).filter(
      ([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0),
    ),
  ) as AudienceFilter;
}

const toDay = (ms: number | undefined) => (ms === undefined ? null : dayjs(ms).format('YYYY-MM-DD'));

function DateRange(props: {
  label: string;
  from: number | undefined;
  to: number | undefined;
  onChange: (from: number | undefined, to: number | undefined) => void;
}) {
  const value: DatesRangeValue<string> = [
    toDay(props.from),
    props.to === undefined ? null : dayjs(props.to).subtract(1, 'day').format('YYYY-MM-DD'),
  ];
  return (
    <DatePickerInput
      type="range"
      label={props.label}
      placeholder="Any time"
      clearable
      allowSingleDateInRange
      value={value}
      onChange={([from, to]) =>
        props.onChange(
          from ? dayjs(from).startOf('day').valueOf() : undefined,
          // The range includes its last day: the filter's upper bound is exclusive.
          to ? dayjs(to).add(1, 'day').startOf('day').valueOf() : undefined,
        )
      }
    />
  );
}

export function AudienceBuilder(props: {
  appId: number;
  audience: AudienceFilter;
  onChange: (a: AudienceFilter) => void;
}) {
  const { appId, audience } = props;
  const [mode, setMode] = useState<Mode>(() => modeOf(audience));
  const [segmentName, setSegmentName] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const count = useQuery(countQuery(appId, audience));
  const tags = useQuery(tagsQuery(appId));
  const facets = useQuery(subscriptionFacetsQuery(appId));
  const segments = useQuery(segmentsQuery(appId));
  const saveSegment = useSaveSegment();
  const deleteSegment = useDeleteSegment();
  const chosenSegment = segments.data?.find((s) => s.name === segmentName);
  const change = (patch: Partial<AudienceFilter>) => props.onChange(tidy({ ...audience, ...patch }));

  const switchMode = (next: Mode) => {
    setMode(next);
    setSegmentName(null);
    props.onChange(next === 'test' ? { testDevices: true } : {});
  };

  const tagOptions = (tags.data ?? []).filter((t) => t !== TEST_DEVICE_TAG).concat(TEST_DEVICE_TAG);
  const byService = Object.entries(count.data?.byService ?? {}) as Array<[PushService, number]>;

  return (
    <Stack gap="md">
      <Paper withBorder p="sm" radius="md" data-testid="audience-count">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <IconUsers size={20} />
            <Text fw={600} size="lg" data-testid="recipient-count">
              {count.data ? count.data.recipients.toLocaleString() : '…'}
            </Text>
            <Text c="dimmed">recipients</Text>
            {count.isFetching && <Loader size="xs" />}
          </Group>
          <Group gap={4}>
            {byService.map(([service, n]) => (
              <Badge key={service} variant="light" size="sm">
                {serviceNames[service] ?? service}: {n.toLocaleString()}
              </Badge>
            ))}
          </Group>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          Active subscriptions only: expired and deleted ones are never included.
        </Text>
        {count.data?.heldBack && <HeldBackLine heldBack={count.data.heldBack} />}
      </Paper>

      <SegmentedControl
        aria-label="Audience"
        fullWidth
        value={mode}
        onChange={(v) => switchMode(v as Mode)}
        data={[
          { value: 'all', label: 'Everyone' },
          { value: 'filter', label: 'Filter / segment' },
          { value: 'test', label: 'Test devices' },
          { value: 'one', label: 'One subscriber' },
        ]}
      />

      {mode === 'test' && (
        <Stack gap="xs" align="flex-start">
          <Text size="sm" c="dimmed">
            The test devices are the subscriptions tagged <b>{TEST_DEVICE_TAG}</b>. Add your own browser, or
            tag your own subscriptions under Subscriptions, to try a message on them first.
          </Text>
          <AddTestDeviceButton appId={appId} />
        </Stack>
      )}

      {mode === 'filter' && (
        <Stack gap="sm">
          <Group align="flex-end" gap="xs">
            <Select
              label="Saved segment"
              placeholder={segments.data?.length ? 'Load a segment…' : 'No segments saved yet'}
              data={(segments.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
              value={chosenSegment ? String(chosenSegment.id) : null}
              onChange={(id) => {
                const segment = segments.data?.find((s) => String(s.id) === id);
                setSegmentName(segment?.name ?? null);
                if (segment) props.onChange(segment.filter);
              }}
              style={{ flex: 1 }}
              clearable
            />
            <Tooltip label="Save these filters as a segment">
              <Button
                variant="light"
                leftSection={<IconDeviceFloppy size={16} />}
                onClick={() => setSaving(true)}
              >
                Save as segment
              </Button>
            </Tooltip>
            {chosenSegment && (
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Delete segment ${chosenSegment.name}`}
                onClick={() => {
                  const segment = chosenSegment;
                  if (!segment) return;
                  modals.openConfirmModal({
                    title: `Delete segment ${segment.name}?`,
                    children: (
                      <Text size="sm">The filters stay in this composer; only the saved segment goes.</Text>
                    ),
                    labels: { confirm: 'Delete', cancel: 'Keep' },
                    confirmProps: { color: 'red' },
                    onConfirm: () =>
                      deleteSegment.mutate({ id: segment.id }, { onSuccess: () => setSegmentName(null) }),
                  });
                }}
              >
                <IconTrash size={16} />
              </ActionIcon>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {tagFilters.map(([key, label]) => (
              <TagsInput
                key={key}
                label={label}
                data={tagOptions}
                value={audience[key] ?? []}
                onChange={(v) => change({ [key]: v })}
                clearable
              />
            ))}
          </SimpleGrid>
          <MultiSelect
            label="In these time zones"
            placeholder={audience.timeZones?.length ? undefined : 'Any time zone'}
            data={zoneFilterOptions(facets.data?.timeZones ?? [])}
            value={(audience.timeZones ?? []).map((zone) => zone ?? NO_ZONE)}
            onChange={(v) => change({ timeZones: v.map(zoneFilterValue) })}
            searchable
            clearable
            nothingFoundMessage="No subscription has that zone"
          />
          <FieldConditionsInput
            label="Custom fields equal (city = Berlin)"
            value={audience.fields ?? []}
            onChange={(v) => change({ fields: v })}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Push services
            </Text>
            <Chip.Group
              multiple
              value={audience.pushServices ?? []}
              onChange={(v) => change({ pushServices: v as PushService[] })}
            >
              <Group gap="xs">
                {pushServices.map((s) => (
                  <Chip key={s} value={s} size="sm">
                    {serviceNames[s]}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateRange
              label="Subscribed between"
              from={audience.createdFrom}
              to={audience.createdTo}
              onChange={(createdFrom, createdTo) => change({ createdFrom, createdTo })}
            />
            <DateRange
              label="Last reached between"
              from={audience.lastSuccessFrom}
              to={audience.lastSuccessTo}
              onChange={(lastSuccessFrom, lastSuccessTo) => change({ lastSuccessFrom, lastSuccessTo })}
            />
          </SimpleGrid>
        </Stack>
      )}

      {mode === 'one' && <OneSubscriber appId={appId} audience={audience} onChange={props.onChange} />}

      <SaveAsModal
        noun="segment"
        placeholder="VIP customers on Safari"
        opened={saving}
        onClose={() => setSaving(false)}
        onSave={(name, overwrite) =>
          saveSegment.mutate(
            { appId, name, filter: audience, overwrite },
            {
              onSuccess: (segment) => {
                setSegmentName(segment.name);
                setSaving(false);
              },
            },
          )
        }
        existing={(segments.data ?? []).map((s) => s.name)}
        pending={saveSegment.isPending}
      />
    </Stack>
  );
}

function OneSubscriber(props: {
  appId: number;
  audience: AudienceFilter;
  onChange: (a: AudienceFilter) => void;
}) {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 250);
  const results = useQuery(searchQuery(props.appId, debounced));
  const chosen = props.audience.subscriptionIds?.[0];
  return (
    <Stack gap="xs">
      <TextInput
        label="Find a subscriber"
        description="Paste an endpoint, or type part of a name, a field or a tag"
        leftSection={<IconSearch size={16} />}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        rightSection={results.isFetching ? <Loader size="xs" /> : null}
      />
      {results.data?.length === 0 && debounced && (
        <Text size="sm" c="dimmed">
          No active subscription matches “{debounced}”.
        </Text>
      )}
      {results.data?.map((m) => (
        <UnstyledButton
          key={m.id}
          onClick={() => props.onChange({ subscriptionIds: [m.id] })}
          aria-pressed={chosen === m.id}
        >
          <Paper
            withBorder
            p="xs"
            radius="md"
            bg={chosen === m.id ? 'var(--mantine-primary-color-light)' : undefined}
          >
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {m.label ?? '(no label)'}
                </Text>
                <Text size="xs" c="dimmed" truncate ff="monospace">
                  {m.endpoint}
                </Text>
              </Stack>
              <Badge variant="light">{m.pushService}</Badge>
            </Group>
          </Paper>
        </UnstyledButton>
      ))}
    </Stack>
  );
}
