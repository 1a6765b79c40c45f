// An A/B campaign's figures per variant (and for the rest once sent), and "Send the rest with variant X"
// while subscribers are held for the winner.
import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconTrophy } from '@tabler/icons-react';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { formatCount, formatMs, formatPercent } from '../format.ts';
import { useSendRest } from '../mutations.ts';
import { TotalsHeads } from './TotalsHeads.tsx';

export function VariantResults({ detail }: { detail: CampaignDetail }) {
  const sendRest = useSendRest(detail.id);
  const plan = detail.variants;
  if (!plan) return null;
  const t = detail.totals;
  // The variants' part must be over: its figures choose the winner.
  const testDone =
    (detail.state === 'completed' || detail.state === 'paused') &&
    t.pending + t.inFlight + t.retrying === 0 &&
    !detail.interrupted;
  const canSendRest = plan.held > 0 && plan.restVariant === null && testDone;
  const shareOf = (name: string) => plan.variants.find((v) => v.name === name)?.share;

  return (
    <Card withBorder padding="lg" mb="lg" data-testid="variant-results">
      <Title order={4} mb="sm">
        Variants
      </Title>
      <Table aria-label="Results per variant" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variant</Table.Th>
            <Table.Th>Message</Table.Th>
            <TotalsHeads />
            <Table.Th ta="right">Latency p50 / p90</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.results.map((r) => {
            const rest = r.name === 'rest';
            const message = plan.variants.find((v) => v.name === (rest ? plan.restVariant : r.name))?.message;
            return (
              <Table.Tr key={r.name} data-variant={r.name}>
                <Table.Td fw={600}>
                  {rest ? `Rest (variant ${plan.restVariant})` : `${r.name} · ${shareOf(r.name)} %`}
                </Table.Td>
                <Table.Td>{message?.notification?.title ?? message?.format ?? ''}</Table.Td>
                <Table.Td ta="right">{formatCount(r.totals.recipients)}</Table.Td>
                <Table.Td ta="right">
                  {formatCount(r.totals.delivered)} ({formatPercent(r.totals.delivered, r.totals.recipients)})
                </Table.Td>
                <Table.Td ta="right">{formatCount(r.totals.expired)}</Table.Td>
                <Table.Td ta="right">{formatCount(r.totals.failed)}</Table.Td>
                <Table.Td ta="right">
                  {formatMs(r.latencyMs.p50)} / {formatMs(r.latencyMs.p90)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {plan.held > 0 && (
        <Text size="sm" mt="sm" data-testid="variants-held">
          {formatCount(plan.held)} subscribers held for the winner
          {testDone ? '.' : ': the variants are still being sent.'}
        </Text>
      )}
      {canSendRest && (
        <Group gap="sm" mt="sm">
          {plan.variants.map((v) => (
            <Button
              key={v.name}
              variant="light"
              leftSection={<IconTrophy size={16} />}
              loading={sendRest.isPending && sendRest.variables === v.name}
              disabled={sendRest.isPending}
              onClick={() =>
                modals.openConfirmModal({
                  title: `Send the rest with variant ${v.name}?`,
                  children: (
                    <Text size="sm">
                      The {formatCount(plan.held)} held subscribers receive variant {v.name} (“
                      {v.message.notification?.title ?? v.message.format}”), as part of this campaign. Nobody
                      who got a variant receives it again.
                    </Text>
                  ),
                  labels: { confirm: `Send to ${formatCount(plan.held)}`, cancel: 'Not now' },
                  onConfirm: () => sendRest.mutate(v.name),
                })
              }
            >
              Send the rest with variant {v.name}
            </Button>
          ))}
        </Group>
      )}
    </Card>
  );
}
