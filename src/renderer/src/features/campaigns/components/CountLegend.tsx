// The numbers beside a chart or in a card: a row per key with its count, and its share of `total` when given.
import { Table, Text } from '@mantine/core';
import { formatCount, formatPercent } from '../format.ts';

export function CountLegend(props: {
  rows: [string, number][];
  total?: number;
  testId?: string;
  name?: (k: string) => string;
}) {
  const { total } = props;
  return (
    <Table withRowBorders={false} verticalSpacing={2} data-testid={props.testId}>
      <Table.Tbody>
        {props.rows.map(([key, n]) => (
          <Table.Tr key={key} data-key={key}>
            <Table.Td>
              <Text size="sm">{props.name ? props.name(key) : key}</Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" fw={600} data-count>
                {formatCount(n)}
              </Text>
            </Table.Td>
            {total !== undefined && (
              <Table.Td ta="right" w={70}>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatPercent(n, total)}
                </Text>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
