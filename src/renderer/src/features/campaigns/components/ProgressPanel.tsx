// Live progress of a campaign: delivered / expired / failed / retrying / pending, rate and time left, with
// pause, resume and cancel. An interrupted campaign explains what resuming does.
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconAlertTriangle, IconPlayerPause, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { CampaignDetail, CampaignTotals } from '../../../../../shared/campaigns.ts';
import { formatCount, formatDuration } from '../format.ts';
import { useCampaignAction } from '../mutations.ts';
import { useCampaignProgress } from '../use-progress.ts';
import { ServiceFlowTable } from './ServiceFlowTable.tsx';

const segments = [
  { key: 'delivered', label: 'Delivered', color: 'teal' },
  { key: 'expired', label: 'Expired', color: 'gray' },
  { key: 'failed', label: 'Failed', color: 'red' },
  { key: 'uncertain', label: 'Uncertain', color: 'orange' },
  { key: 'skipped', label: 'Skipped (frequency cap or quiet hours)', color: 'violet.4' },
  { key: 'retrying', label: 'Retrying', color: 'yellow' },
  { key: 'inFlight', label: 'In flight', color: 'blue' },
  { key: 'pending', label: 'Pending', color: 'gray.3' },
] as const;

function Stat(props: { label: string; value: number | string; color?: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} c={props.color} data-testid={props.testId}>
        {typeof props.value === 'number' ? formatCount(props.value) : props.value}
      </Text>
    </Stack>
  );
}

export function ProgressPanel({ detail }: { detail: CampaignDetail }) {
  const live = useCampaignProgress(detail.id);
  const pause = useCampaignAction('campaigns.pause', detail.id);
  const resume = useCampaignAction('campaigns.resume', detail.id);
  const cancel = useCampaignAction('campaigns.cancel', detail.id);
  const [resendUncertain, setResendUncertain] = useState(false);
  // Live counts while events arrive; the stored totals otherwise (after a restart, or while paused).
  const counts: CampaignTotals = live && !live.finished ? live : detail.totals;
  const state = live && !live.finished ? live.state : detail.state;
  const done = counts.recipients - counts.pending - counts.retrying - counts.inFlight;
  const sending = state === 'sending' && !detail.interrupted;
  // A local-time campaign between two zones' releases: nothing on the wire, the next zone still to come.
  const waiting = state === 'scheduled' && detail.startedAt !== null;

  return (
    <Card withBorder padding="lg" mb="lg" aria-label="Progress" data-testid="progress-panel">
      <Group justify="space-between" mb="sm">
        <Title order={4}>
          {detail.interrupted
            ? 'Interrupted'
            : sending
              ? 'Sending…'
              : waiting
                ? 'Waiting for the next time zone'
                : state === 'paused'
                  ? 'Paused'
                  : 'Progress'}
        </Title>
        <Group gap="xs">
          {sending && (
            <Button
              variant="default"
              leftSection={<IconPlayerPause size={16} />}
              loading={pause.isPending}
              onClick={() => pause.mutate({})}
            >
              Pause
            </Button>
          )}
          {(state === 'paused' || detail.interrupted) && (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={resume.isPending}
              onClick={() => resume.mutate({ resendUncertain })}
            >
              Resume
            </Button>
          )}
          {(sending || waiting || state === 'paused' || detail.interrupted) && (
            <Button
              variant="light"
              color="red"
              leftSection={<IconX size={16} />}
              loading={cancel.isPending}
              onClick={() =>
                modals.openConfirmModal({
                  title: 'Cancel this campaign?',
                  children: (
                    <Text size="sm">
                      {formatCount(counts.pending + counts.retrying)} recipients have not received it yet and
                      will not. What was sent stays sent. You can duplicate the campaign later.
                    </Text>
                  ),
                  labels: { confirm: 'Cancel campaign', cancel: 'Keep sending' },
                  confirmProps: { color: 'red' },
                  onConfirm: () => cancel.mutate({}),
                })
              }
            >
              Cancel
            </Button>
          )}
        </Group>
      </Group>
      {detail.interrupted && (
        <Alert color="orange" icon={<IconAlertTriangle />} mb="md">
          Pushdeck stopped while sending this campaign (it was quit or crashed). Resume sends to the{' '}
          {formatCount(counts.pending + counts.retrying)} recipients not sent to yet, and to nobody twice.
          {counts.inFlight + counts.uncertain > 0 && (
            <>
              {' '}
              {formatCount(counts.inFlight + counts.uncertain)} requests were on the wire when it stopped:
              nobody can know whether they arrived, so they are shown as uncertain and not re-sent unless you
              ask.
              <Checkbox
                mt="xs"
                label="Re-send the uncertain ones too (some people may get it twice)"
                checked={resendUncertain}
                onChange={(e) => setResendUncertain(e.currentTarget.checked)}
              />
            </>
          )}
        </Alert>
      )}
      <Progress.Root size={22} mb="md" aria-label="Delivery progress">
        {segments.map((s) =>
          counts[s.key] > 0 ? (
            <Tooltip key={s.key} label={`${s.label}: ${formatCount(counts[s.key])}`}>
              <Progress.Section
                value={(counts[s.key] / Math.max(1, counts.recipients)) * 100}
                color={s.color}
                animated={sending && (s.key === 'inFlight' || s.key === 'retrying')}
              />
            </Tooltip>
          ) : null,
        )}
      </Progress.Root>
      <SimpleGrid cols={{ base: 4, md: 9 }} spacing="md">
        <Stat label="Recipients" value={counts.recipients} color="" testId="count-recipients" />
        <Stat label="Delivered" value={counts.delivered} color="teal" testId="count-delivered" />
        <Stat label="Expired" value={counts.expired} color="dimmed" testId="count-expired" />
        <Stat label="Failed" value={counts.failed} color="red" testId="count-failed" />
        <Stat label="Retrying" value={counts.retrying} color="yellow.8" testId="count-retrying" />
        <Stat label="Skipped" value={counts.skipped} color="violet.7" testId="count-skipped" />
        <Stat
          label={state === 'cancelled' ? 'Not sent' : 'Pending'}
          value={counts.pending + counts.inFlight}
          color=""
          testId="count-pending"
        />
        <Stat
          label="Rate"
          value={live && sending ? `${formatCount(Math.round(live.rate))}/s` : '—'}
          testId="rate"
        />
        <Stat
          label="Time left"
          value={live && sending ? formatDuration(live.etaSeconds) : '—'}
          testId="eta"
        />
      </SimpleGrid>
      {live && sending && live.services.length > 0 && <ServiceFlowTable services={live.services} />}
      <Text size="sm" c="dimmed" mt="sm" data-testid="progress-done">
        {formatCount(done - counts.skipped)} of {formatCount(counts.recipients - counts.skipped)} answered
        {counts.skipped > 0 && `, ${formatCount(counts.skipped)} skipped`}
      </Text>
    </Card>
  );
}
