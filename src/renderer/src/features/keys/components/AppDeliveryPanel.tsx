// One app's delivery rules: quiet hours in each subscriber's time (e.g. 21:00–08:00), a frequency cap
// (campaigns per rolling 24 h and/or 7 days), the zone of subscriptions without one, and whether one-off
// alerts and test sends ignore quiet hours.
import { Button, Card, Checkbox, Group, NumberInput, Stack, Switch, Text, Title } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import type { FrequencyCap } from '../../../../../shared/delivery-time.ts';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect.tsx';
import { useKeysMutation } from '../mutations.ts';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const capFields = [
  ['per24h', 'Per 24 hours'],
  ['per7d', 'Per 7 days'],
] as const;

export function AppDeliveryPanel({ app }: { app: AppSummary }) {
  const stored = app.delivery;
  const [quietOn, setQuietOn] = useState(stored.quietHours !== null);
  const [start, setStart] = useState(stored.quietHours?.start ?? '21:00');
  const [end, setEnd] = useState(stored.quietHours?.end ?? '08:00');
  const [cap, setCap] = useState<FrequencyCap>(stored.frequencyCap);
  const [zone, setZone] = useState<string | null>(stored.defaultTimeZone);
  const [alertsIgnore, setAlertsIgnore] = useState(stored.alertsIgnoreQuietHours);
  const save = useKeysMutation('apps.setDelivery');

  const startError = quietOn && !CLOCK.test(start) ? 'Type a time as HH:MM, e.g. 21:00' : null;
  const endError =
    quietOn && !CLOCK.test(end)
      ? 'Type a time as HH:MM, e.g. 08:00'
      : quietOn && start === end
        ? 'The end must differ from the start'
        : null;
  const quietHours = quietOn ? { start, end } : null;
  const changed =
    JSON.stringify(quietHours) !== JSON.stringify(stored.quietHours) ||
    cap.per24h !== stored.frequencyCap.per24h ||
    cap.per7d !== stored.frequencyCap.per7d ||
    zone !== stored.defaultTimeZone ||
    alertsIgnore !== stored.alertsIgnoreQuietHours;

  const submit = () =>
    save.mutate(
      {
        appId: app.id,
        quietHours,
        frequencyCap: cap,
        defaultTimeZone: zone,
        alertsIgnoreQuietHours: alertsIgnore,
      },
      {
        onSuccess: () =>
          notifications.show({
            color: 'teal',
            title: 'Delivery rules saved',
            message: `Campaigns of ${app.name} scheduled from now on follow them.`,
          }),
      },
    );

  return (
    <Card withBorder padding="lg" mt="md" component="section" aria-label="Delivery rules">
      <Title order={4} mb={4}>
        Delivery rules
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        When and how often subscribers of {app.name} may be sent to, in each one&apos;s own time zone.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!startError && !endError) submit();
        }}
      >
        <Stack gap="md" maw={620}>
          <Stack gap="xs">
            <Switch
              label="Quiet hours"
              description="No campaign arrives in this window of the subscriber's local time: it is held until the window ends, or skipped, as each campaign chooses."
              checked={quietOn}
              onChange={(e) => setQuietOn(e.currentTarget.checked)}
            />
            {quietOn && (
              <Group align="flex-start" gap="sm">
                <TimeInput
                  label="From"
                  value={start}
                  onChange={(e) => setStart(e.currentTarget.value)}
                  error={startError}
                  w={130}
                />
                <TimeInput
                  label="Until"
                  value={end}
                  onChange={(e) => setEnd(e.currentTarget.value)}
                  error={endError}
                  w={130}
                />
              </Group>
            )}
            <Checkbox
              label="One-off alerts and test sends ignore quiet hours and the frequency cap"
              checked={alertsIgnore}
              onChange={(e) => setAlertsIgnore(e.currentTarget.checked)}
            />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Frequency cap
            </Text>
            <Text size="xs" c="dimmed">
              A subscriber who already got this many campaigns is skipped (recorded as skipped: frequency
              cap). Leave empty for no limit.
            </Text>
            <Group gap="sm">
              {capFields.map(([key, label]) => (
                <NumberInput
                  key={key}
                  label={label}
                  placeholder="No limit"
                  min={1}
                  max={1000}
                  allowDecimal={false}
                  allowNegative={false}
                  value={cap[key] ?? ''}
                  onChange={(v) => setCap({ ...cap, [key]: typeof v === 'number' ? v : null })}
                  w={150}
                />
              ))}
            </Group>
          </Stack>
          <TimeZoneSelect
            label="Default time zone"
            description="For subscriptions that did not send their time zone. Empty: UTC."
            placeholder="UTC"
            clearable
            value={zone}
            onChange={setZone}
            w={360}
          />
          {save.error && (
            <Text c="red" size="sm">
              {save.error.message}
            </Text>
          )}
          <Group>
            <Button
              type="submit"
              disabled={!changed || startError !== null || endError !== null}
              loading={save.isPending}
            >
              Save delivery rules
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
