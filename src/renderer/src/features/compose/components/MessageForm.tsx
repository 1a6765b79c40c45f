// The message half of the composer: payload format, the notification's fields, up to two buttons, the
// advanced options, custom data (JSON checked as you type) and defaults for placeholders.
import {
  ActionIcon,
  Accordion,
  Button,
  Group,
  JsonInput,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState, type ChangeEvent } from 'react';
import type {
  MessageSpec,
  NotificationContent,
  PayloadFormat,
  PlaceholderUse,
} from '../../../../../shared/compose.ts';

const formats: Array<{ value: PayloadFormat; label: string }> = [
  { value: 'notification', label: 'Notification' },
  { value: 'declarative', label: 'Declarative (Safari)' },
  { value: 'raw', label: 'Raw text/JSON' },
  { value: 'none', label: 'No payload' },
];

const formatHelp: Record<PayloadFormat, string> = {
  notification: 'JSON for your service worker to pass to showNotification (see Setup help).',
  declarative:
    'WebKit’s Declarative Web Push: Safari 18.4+ shows it without a service worker; others fall back to your service worker.',
  raw: 'Sent as written; your service worker decides what to show.',
  none: 'A push without payload: your service worker must fetch what to show.',
};

const placeholderHint =
  'Personalise with {{label}}, {{first_name}} or {{first_name|there}} (with a default).';

type SetNotification = (patch: Partial<NotificationContent>) => void;

/** The value and change handler of a notification's text field ('' when unset) or on/off option. */
function bindings(n: NotificationContent, setN: SetNotification) {
  return {
    text: (field: 'url' | 'icon' | 'image' | 'badge' | 'tag' | 'lang') => ({
      value: n[field] ?? '',
      onChange: (e: ChangeEvent<HTMLInputElement>) => setN({ [field]: e.currentTarget.value }),
    }),
    flag: (field: 'renotify' | 'requireInteraction' | 'silent') => ({
      checked: Boolean(n[field]),
      onChange: (e: ChangeEvent<HTMLInputElement>) => setN({ [field]: e.currentTarget.checked }),
    }),
  };
}

export function MessageForm(props: {
  message: MessageSpec;
  onChange: (message: MessageSpec) => void;
  placeholders: PlaceholderUse[];
}) {
  const { message, onChange } = props;
  const n: NotificationContent = message.notification ?? { title: '' };
  const setN: SetNotification = (patch) => onChange({ ...message, notification: { ...n, ...patch } });
  const { text } = bindings(n, setN);
  const shows = message.format === 'notification' || message.format === 'declarative';
  const actions = n.actions ?? [];
  const setAction = (index: number, patch: Partial<(typeof actions)[number]>) =>
    setN({ actions: actions.map((a, i) => (i === index ? { ...a, ...patch } : a)) });

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <SegmentedControl
          aria-label="Payload format"
          fullWidth
          value={message.format}
          onChange={(value) => onChange({ ...message, format: value as PayloadFormat })}
          data={formats}
        />
        <Text size="xs" c="dimmed">
          {formatHelp[message.format]}
        </Text>
      </Stack>

      {shows && (
        <>
          <TextInput
            label="Title"
            placeholder="Spring sale: 30% off"
            description={placeholderHint}
            value={n.title}
            onChange={(e) => setN({ title: e.currentTarget.value })}
          />
          <Textarea
            label="Body"
            placeholder="Hi {{first_name|there}}, our spring sale starts now."
            autosize
            minRows={2}
            maxRows={6}
            value={n.body ?? ''}
            onChange={(e) => setN({ body: e.currentTarget.value })}
          />
          <TextInput label="URL opened on click" placeholder="https://example.com/sale" {...text('url')} />
          <Group gap="xs" align="flex-end">
            <Switch
              label="Campaign links (UTM)"
              description="Adds utm_source, utm_medium=push, utm_campaign to every URL it opens"
              checked={message.utm !== undefined}
              onChange={(e) => {
                const { utm: _utm, ...rest } = message;
                onChange(e.currentTarget.checked ? { ...message, utm: {} } : rest);
              }}
            />
            {message.utm && (
              <TextInput
                label="UTM source"
                size="xs"
                placeholder="pushdeck"
                value={message.utm.source ?? ''}
                onChange={(e) => {
                  const source = e.currentTarget.value;
                  onChange({
                    ...message,
                    utm: { ...message.utm, source: source.trim() ? source : undefined },
                  });
                }}
              />
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Icon" placeholder="https://…/icon.png" {...text('icon')} />
            <TextInput label="Image" placeholder="https://…/hero.jpg" {...text('image')} />
            <TextInput label="Badge" placeholder="https://…/badge.png" {...text('badge')} />
          </SimpleGrid>

          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Buttons
              </Text>
              <Button
                size="compact-sm"
                variant="light"
                leftSection={<IconPlus size={14} />}
                disabled={actions.length >= 2}
                onClick={() =>
                  setN({
                    actions: [...actions, { action: `action-${actions.length + 1}`, title: '', url: '' }],
                  })
                }
              >
                Add button
              </Button>
            </Group>
            {actions.length === 0 && (
              <Text size="xs" c="dimmed">
                Up to two buttons, each with its own URL.
              </Text>
            )}
            {actions.length > 0 && (
              // MDN's notes for showNotification's actions: shipped in Firefox 152, behind a pref before
              // (github.com/mdn/content/pull/44183 and /pull/39033, bug 1959931).
              <Text size="xs" c="dimmed" data-testid="actions-firefox-note">
                Firefox shows buttons from version 152; earlier versions show the notification without them.
              </Text>
            )}
            {actions.map((action, index) => (
              <Group key={index} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label={`Button ${index + 1} title`}
                  placeholder="Shop now"
                  value={action.title}
                  onChange={(e) => setAction(index, { title: e.currentTarget.value })}
                  style={{ flex: 2 }}
                />
                <TextInput
                  label="Action id"
                  value={action.action}
                  onChange={(e) => setAction(index, { action: e.currentTarget.value })}
                  style={{ flex: 1 }}
                />
                <TextInput
                  label="URL"
                  placeholder="https://…"
                  value={action.url ?? ''}
                  onChange={(e) => setAction(index, { url: e.currentTarget.value })}
                  style={{ flex: 2 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={`Remove button ${index + 1}`}
                  onClick={() => setN({ actions: actions.filter((_, i) => i !== index) })}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        </>
      )}

      {message.format === 'raw' && (
        <Textarea
          label="Payload"
          description={placeholderHint}
          autosize
          minRows={5}
          maxRows={16}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={message.raw ?? ''}
          onChange={(e) => onChange({ ...message, raw: e.currentTarget.value })}
        />
      )}

      {shows && (
        <Accordion variant="separated" chevronPosition="left">
          <Accordion.Item value="advanced">
            <Accordion.Control>More options: tag, behaviour, language, custom data</Accordion.Control>
            <Accordion.Panel>
              <AdvancedFields message={message} n={n} setN={setN} onChange={onChange} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}

      {props.placeholders.length > 0 && (
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            Default values
          </Text>
          <Text size="xs" c="dimmed">
            Used where a subscriber has no value (an inline {'{{name|default}}'} comes after these).
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {props.placeholders.map((p) => (
              <TextInput
                key={p.name}
                label={`{{${p.name}}}`}
                description={
                  p.missing > 0
                    ? `${p.estimated ? 'About ' : ''}${p.missing.toLocaleString()} recipient(s) have no ${p.name}`
                    : 'Everyone has a value'
                }
                value={
                  (message.vars && Object.hasOwn(message.vars, p.name) ? message.vars[p.name] : '') ?? ''
                }
                onChange={(e) => {
                  const vars = { ...message.vars, [p.name]: e.currentTarget.value };
                  if (vars[p.name] === '') delete vars[p.name];
                  onChange({ ...message, vars });
                }}
              />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}

function AdvancedFields(props: {
  message: MessageSpec;
  n: NotificationContent;
  setN: SetNotification;
  onChange: (message: MessageSpec) => void;
}) {
  const { message, n, setN } = props;
  const { text, flag } = bindings(n, setN);
  const [dataText, setDataText] = useState(() => (n.data ? JSON.stringify(n.data, null, 2) : ''));
  const [dataError, setDataError] = useState<string | null>(null);

  const onData = (text: string) => {
    setDataText(text);
    if (text.trim() === '') {
      setDataError(null);
      setN({ data: undefined });
      return;
    }
    try {
      const value = JSON.parse(text) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        setDataError('Custom data must be a JSON object, like {"orderId": 42}.');
        return;
      }
      setDataError(null);
      setN({ data: value as Record<string, unknown> });
    } catch (error) {
      setDataError(`Not valid JSON yet: ${(error as Error).message}`);
    }
  };

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label="Tag"
          description="Replaces an earlier notification with the same tag"
          {...text('tag')}
        />
        <Select
          label="Direction"
          data={[
            { value: 'auto', label: 'Auto' },
            { value: 'ltr', label: 'Left to right' },
            { value: 'rtl', label: 'Right to left' },
          ]}
          value={n.dir ?? 'auto'}
          onChange={(value) => setN({ dir: (value ?? 'auto') as NotificationContent['dir'] })}
          allowDeselect={false}
        />
        <TextInput label="Language" placeholder="en-GB" {...text('lang')} />
      </SimpleGrid>
      <Group gap="xl">
        <Switch label="Renotify" {...flag('renotify')} />
        <Switch label="Require interaction" {...flag('requireInteraction')} />
        <Switch label="Silent (no sound or vibration)" {...flag('silent')} />
      </Group>
      <DateTimePicker
        label="Timestamp"
        description="The time the notification shows (default: when it arrives)"
        clearable
        value={n.timestamp ? dayjs(n.timestamp).format('YYYY-MM-DD HH:mm:ss') : null}
        onChange={(value) => setN({ timestamp: value ? dayjs(value).valueOf() : undefined })}
      />
      {message.format === 'declarative' && (
        <Group grow>
          <NumberInput
            label="App badge"
            description="Number on the app icon (Safari)"
            min={0}
            allowDecimal={false}
            value={message.appBadge ?? ''}
            onChange={(value) =>
              props.onChange({ ...message, appBadge: typeof value === 'number' ? value : undefined })
            }
          />
          <Switch
            label="Mutable: let the service worker change it"
            checked={Boolean(message.mutable)}
            onChange={(e) => props.onChange({ ...message, mutable: e.currentTarget.checked || undefined })}
          />
        </Group>
      )}
      <JsonInput
        label="Custom data (JSON)"
        description="Passed to your service worker as notification.data"
        placeholder='{"orderId": 42}'
        autosize
        minRows={3}
        value={dataText}
        onChange={onData}
        error={dataError}
      />
    </Stack>
  );
}
