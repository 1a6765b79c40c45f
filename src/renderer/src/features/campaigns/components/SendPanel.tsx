// The launch pad of a draft: send a test to the test devices, dry run, schedule, or send now after a
// confirmation that states the audience, the app and the options.
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCalendarTime, IconDeviceMobileCheck, IconSend, IconTestPipe } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { call } from '../../../api/client.ts';
import { formatCount, formatStartTime, formatTtl, userTimeZone } from '../format.ts';
import { useCampaignAction, useScheduleCampaign } from '../mutations.ts';
import { countQuery } from '../../compose/queries.ts';
import { useDryRun } from '../use-dry-run.ts';
import { DryRunProgress } from './DryRunProgress.tsx';
import { DryRunResult } from './DryRunResult.tsx';
import { ScheduleForm } from './ScheduleForm.tsx';
import { showError } from '../../../components/show-error.ts';

function optionsLine(detail: CampaignDetail): string {
  const o = detail.options;
  return `TTL ${formatTtl(o.ttl)} · urgency ${o.urgency} · topic ${o.topic ?? 'none'}${o.rate ? ` · at most ${formatCount(o.rate)}/s` : ''}`;
}

/** An A/B campaign's split, as the confirmation states it. */
function variantsLine(plan: NonNullable<CampaignDetail['variants']>): string {
  const shares = plan.variants.map((v) => `${v.name} ${v.share} %`).join(', ');
  const held = 100 - plan.variants.reduce((sum, v) => sum + v.share, 0);
  return `An A/B test: variants ${shares} of them${plan.holdRest ? `; the other ${Math.round(held * 100) / 100} % are held for the winner` : ''}.`;
}

export function SendPanel({ detail, onOpen }: { detail: CampaignDetail; onOpen: (id: number) => void }) {
  const queryClient = useQueryClient();
  const send = useCampaignAction('campaigns.send', detail.id);
  const schedule = useScheduleCampaign();
  const [checking, setChecking] = useState(false);

  const testSend = useMutation({
    mutationFn: async () => {
      const audience = { testDevices: true };
      const count = await queryClient.fetchQuery(countQuery(detail.appId, audience));
      if (count.recipients === 0) return null;
      const test = await call('campaigns.sendNow', {
        appId: detail.appId,
        name: `Test: ${detail.name}`,
        message: detail.message,
        audience,
        options: detail.options,
      });
      return { id: test.id, recipients: count.recipients };
    },
    onSuccess: (test) => {
      if (!test) {
        notifications.show({
          color: 'yellow',
          title: 'No test devices',
          message:
            'Add your browser (Compose → Test devices, or Keys) or tag your own subscriptions “test-device” to send tests to them.',
        });
        return;
      }
      notifications.show({
        color: 'teal',
        title: 'Test sent',
        message: (
          <Text size="sm">
            To {formatCount(test.recipients)} test device{test.recipients === 1 ? '' : 's'}.{' '}
            <Text
              component="a"
              href={`#/campaigns/${test.id}`}
              size="sm"
              c="indigo"
              onClick={(e: MouseEvent) => {
                e.preventDefault();
                onOpen(test.id);
              }}
            >
              See its results
            </Text>
          </Text>
        ),
      });
    },
    onError: showError('Test not sent'),
  });

  const dryRun = useDryRun();
  const startDryRun = (encrypt: 'sample' | 'all' = 'sample') =>
    dryRun.mutate(
      { appId: detail.appId, message: detail.message, audience: detail.audience, encrypt },
      {
        onSuccess: (report) => {
          const id = modals.open({
            title: report.cancelled ? 'Dry run (stopped)' : 'Dry run',
            size: 'lg',
            children: (
              <DryRunResult
                report={report}
                onEncryptAll={
                  report.encrypted < report.recipients && !report.cancelled
                    ? () => {
                        modals.close(id);
                        startDryRun('all');
                      }
                    : undefined
                }
              />
            ),
          });
        },
        onError: showError('Dry run failed'),
      },
    );

  async function confirmSend() {
    setChecking(true);
    try {
      const count = await queryClient.fetchQuery(countQuery(detail.appId, detail.audience));
      modals.openConfirmModal({
        title: 'Send this campaign now?',
        children: (
          <Stack gap="xs" data-testid="send-confirmation">
            <Text>
              Send “{detail.name}” to <b>{formatCount(count.recipients)}</b> subscriber
              {count.recipients === 1 ? '' : 's'} of <b>{detail.appName}</b>.
            </Text>
            {detail.variants && <Text size="sm">{variantsLine(detail.variants)}</Text>}
            <Text size="sm">{optionsLine(detail)}</Text>
            <Text size="sm" c="dimmed">
              A sent notification cannot be recalled.
            </Text>
          </Stack>
        ),
        labels: { confirm: `Send to ${formatCount(count.recipients)}`, cancel: 'Not yet' },
        confirmProps: { disabled: count.recipients === 0 },
        onConfirm: () => send.mutate({}),
      });
    } catch (error) {
      showError('Could not count the audience')(error);
    } finally {
      setChecking(false);
    }
  }

  function openSchedule() {
    const id = modals.open({
      title: 'Schedule',
      size: 'lg',
      children: <ScheduleForm detail={detail} onDone={() => modals.close(id)} />,
    });
  }

  return (
    <Card withBorder padding="lg" mb="lg" aria-label="Send">
      <Title order={4} mb="xs">
        {detail.state === 'scheduled' ? 'Scheduled' : 'Ready to send'}
      </Title>
      {detail.state === 'scheduled' && detail.scheduledAt !== null && (
        <Alert color="cyan" icon={<IconCalendarTime />} mb="md" data-testid="scheduled-at">
          Starts {formatStartTime(detail.scheduledAt)} ({userTimeZone()}).
        </Alert>
      )}
      <Text size="sm" c="dimmed" mb="md">
        {optionsLine(detail)}
      </Text>
      <Group gap="sm">
        <Button
          variant="default"
          leftSection={<IconDeviceMobileCheck size={16} />}
          loading={testSend.isPending}
          onClick={() => testSend.mutate()}
        >
          Send test to test devices
        </Button>
        <Button
          variant="default"
          leftSection={<IconTestPipe size={16} />}
          loading={dryRun.isPending}
          onClick={() => startDryRun()}
        >
          Dry run
        </Button>
        {detail.state === 'scheduled' ? (
          <Button
            variant="default"
            loading={schedule.isPending}
            onClick={() => schedule.mutate({ campaignId: detail.id, at: null })}
          >
            Unschedule
          </Button>
        ) : (
          <Button variant="default" leftSection={<IconCalendarTime size={16} />} onClick={openSchedule}>
            Schedule…
          </Button>
        )}
        <Button
          leftSection={<IconSend size={16} />}
          loading={checking || send.isPending}
          onClick={() => void confirmSend()}
        >
          Send now…
        </Button>
      </Group>
      {dryRun.isPending && <DryRunProgress progress={dryRun.progress} onStop={() => void dryRun.cancel()} />}
    </Card>
  );
}
