// Delivery options: how long push services keep the message (TTL presets or a custom value with units),
// urgency, a topic checked as you type (with Apple's length rule), and an optional rate cap.
import {
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import {
  MAX_TTL_SECONDS,
  topicProblem,
  urgencies,
  DEFAULT_URGENCY,
  type ComposeOptions,
  type Urgency,
} from '../../../../../shared/compose.ts';

const presets = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '2419200', label: '4 weeks' },
  { value: 'custom', label: 'Custom' },
];

const units = [
  { value: '1', label: 'seconds' },
  { value: '60', label: 'minutes' },
  { value: '3600', label: 'hours' },
  { value: '86400', label: 'days' },
];

const urgencyHelp: Record<Urgency, string> = {
  'very-low': 'Delivered only on power and Wi-Fi',
  low: 'Delivered on power or Wi-Fi',
  normal: 'Delivered unless the battery is low',
  high: 'Delivered at once, even on low battery',
};

function bestUnit(ttl: number): number {
  return [86400, 3600, 60].find((u) => ttl > 0 && ttl % u === 0) ?? 1;
}

export function DeliveryOptions(props: {
  options: ComposeOptions;
  onChange: (options: ComposeOptions) => void;
}) {
  const { options } = props;
  const preset = presets.some((p) => p.value === String(options.ttl)) ? String(options.ttl) : 'custom';
  const [custom, setCustom] = useState(preset === 'custom');
  const [unit, setUnit] = useState(() => bestUnit(options.ttl));
  const set = (patch: Partial<ComposeOptions>) => props.onChange({ ...options, ...patch });
  const topic = options.topic ?? '';
  const problem = topic ? topicProblem(topic) : null;
  const ttlError =
    !Number.isInteger(options.ttl) || options.ttl < 0 || options.ttl > MAX_TTL_SECONDS
      ? `TTL must be 0 to ${MAX_TTL_SECONDS.toLocaleString()} seconds (4 weeks).`
      : null;

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Time to live
        </Text>
        <SegmentedControl
          aria-label="Time to live"
          value={custom ? 'custom' : preset}
          onChange={(v) => {
            setCustom(v === 'custom');
            if (v === 'custom') setUnit(bestUnit(options.ttl));
            else set({ ttl: Number(v) });
          }}
          data={presets}
        />
        {custom && (
          <Group gap="xs" align="flex-start">
            <NumberInput
              aria-label="Custom time to live"
              min={0}
              allowDecimal={false}
              value={options.ttl / unit}
              onChange={(v) => set({ ttl: Math.round((typeof v === 'number' ? v : 0) * unit) })}
              error={ttlError}
              style={{ flex: 1 }}
            />
            <Select
              aria-label="Unit"
              data={units}
              value={String(unit)}
              onChange={(v) => setUnit(Number(v ?? 1))}
              allowDeselect={false}
              w={130}
            />
          </Group>
        )}
        <Text size="xs" c="dimmed">
          Push services keep the message this long for devices that are offline (
          {options.ttl.toLocaleString()} s).
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Urgency"
          data={urgencies.map((u) => ({ value: u, label: u }))}
          value={options.urgency ?? DEFAULT_URGENCY}
          onChange={(v) => set({ urgency: (v ?? DEFAULT_URGENCY) as Urgency })}
          description={urgencyHelp[options.urgency ?? DEFAULT_URGENCY]}
          allowDeselect={false}
        />
        <TextInput
          label="Topic"
          placeholder="price-update"
          description="A newer message with the same topic replaces one still waiting"
          value={topic}
          onChange={(e) => set({ topic: e.currentTarget.value || undefined })}
          error={problem?.message}
        />
        <NumberInput
          label="Messages per second"
          placeholder="No cap"
          description="Optional cap, e.g. to spare your servers"
          min={1}
          allowDecimal={false}
          value={options.rate ?? ''}
          onChange={(v) => set({ rate: typeof v === 'number' && v > 0 ? v : undefined })}
        />
      </SimpleGrid>
    </Stack>
  );
}
