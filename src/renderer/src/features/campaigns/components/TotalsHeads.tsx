// The heads of the count columns that every table of campaign results shows, in the same order.
import { Table } from '@mantine/core';

export function TotalsHeads() {
  return (
    <>
      <Table.Th ta="right">Recipients</Table.Th>
      <Table.Th ta="right">Delivered</Table.Th>
      <Table.Th ta="right">Expired</Table.Th>
      <Table.Th ta="right">Failed</Table.Th>
    </>
  );
}
