// The list as a virtualized table: only the rows on screen exist in the DOM, and their pages (100 rows,
// keyset-paged in main) are fetched as they scroll into view, so a million rows scroll like a hundred.
import { Badge, Checkbox, Group, Skeleton, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type CSSProperties } from 'react';
import {
  PAGE_SIZE,
  type SubscriptionFilter,
  type SubscriptionRow,
  type SubscriptionSort,
} from '../../../../../shared/subscriptions.ts';
import { subscriptionPageQuery } from '../queries.ts';

// 30 px rows keep a million rows under Chromium's ~33.5 million pixel limit on an element's height.
const ROW_HEIGHT = 30;
const GRID =
  '36px minmax(240px, 3fr) minmax(90px, 1fr) minmax(100px, 1.1fr) 70px minmax(100px, 1fr) 76px 100px minmax(110px, 1fr)';

const serviceNames: Record<SubscriptionRow['pushService'], string> = {
  fcm: 'FCM',
  mozilla: 'Mozilla',
  apple: 'Apple',
  wns: 'WNS',
  other: 'Other',
};

const columns: { label: string; sort?: SubscriptionSort; toggle?: SubscriptionSort }[] = [
  { label: 'Endpoint', sort: 'endpoint' },
  { label: 'Label', sort: 'label' },
  { label: 'Tags' },
  { label: 'Service', sort: 'pushService' },
  { label: 'Time zone' },
  { label: 'Status', sort: 'status' },
  { label: 'Created', sort: 'newest', toggle: 'oldest' },
  { label: 'Last result', sort: 'lastAttempt' },
];

const cell: CSSProperties = {
  overflow: 'hidden',
  whiteSpace: 'nowrap',
  textOverflow: 'ellipsis',
  minWidth: 0,
};

// One formatter for every row: toLocaleDateString with options builds a new one per call, and that was the
// largest part of a render of the rows on screen (a renderer profile of bench:ui's export).
const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

function formatDate(ms: number): string {
  return dateFormat.format(ms);
}

function lastResult(row: SubscriptionRow): string {
  if (row.lastAttemptAt === null) return '—';
  return [row.lastStatus ?? '', row.lastReason ?? ''].join(' ').trim() || 'sent';
}

export interface TableProps {
  appId: number;
  filter: SubscriptionFilter;
  sort: SubscriptionSort;
  count: number;
  onSort: (sort: SubscriptionSort) => void;
  isSelected: (id: number) => boolean;
  onToggle: (id: number) => void;
  allSelected: boolean;
  onToggleAll: () => void;
  onOpen: (id: number) => void;
}

/**
 * The table renders again only when its own props change (the page keeps its callbacks stable), and a row
 * only when its data or selection does: the page's other state (an export or bulk action starting, a count
 * arriving) re-rendered the seventy rows on screen, 100-230 ms of the window's main thread at 1M beside an
 * export (bench:ui, the renderer's long tasks).
 */
export const SubscriptionTable = memo(function SubscriptionTable(props: TableProps) {
  const { appId, filter, sort, count } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The table virtualizes a scroll container it owns.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const pageNumbers = [...new Set(items.map((item) => Math.floor(item.index / PAGE_SIZE)))];
  const pages = useQueries({
    queries: pageNumbers.map((page) => subscriptionPageQuery(appId, filter, sort, page)),
  });
  const rowsByPage = new Map(pageNumbers.map((page, i) => [page, pages[i]?.data?.rows]));

  const listKey = JSON.stringify([appId, filter, sort]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [listKey]);

  return (
    <div
      role="table"
      aria-label="Subscriptions"
      aria-rowcount={count}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
    >
      <div
        role="row"
        style={{
          display: 'grid',
          gridTemplateColumns: GRID,
          alignItems: 'center',
          gap: 8,
          padding: '6px 10px',
          borderBottom: '1px solid var(--mantine-color-default-border)',
          background: 'var(--mantine-color-default-hover)',
        }}
      >
        <div role="columnheader">
          <Checkbox
            aria-label="Select all matching"
            checked={props.allSelected}
            onChange={props.onToggleAll}
            size="xs"
          />
        </div>
        {columns.map((column) => {
          const active = column.sort === sort || column.toggle === sort;
          const next = column.toggle && sort === column.sort ? column.toggle : column.sort;
          return (
            <div
              key={column.label}
              role="columnheader"
              aria-sort={
                active ? (sort === 'newest' || sort === 'lastAttempt' ? 'descending' : 'ascending') : 'none'
              }
            >
              {next ? (
                <UnstyledButton onClick={() => props.onSort(next)}>
                  <Group gap={2} wrap="nowrap">
                    <Text size="xs" fw={700} c={active ? undefined : 'dimmed'}>
                      {column.label}
                    </Text>
                    {active &&
                      (sort === 'newest' || sort === 'lastAttempt' ? (
                        <IconArrowDown size={12} />
                      ) : (
                        <IconArrowUp size={12} />
                      ))}
                  </Group>
                </UnstyledButton>
              ) : (
                <Text size="xs" fw={700} c="dimmed">
                  {column.label}
                </Text>
              )}
            </div>
          );
        })}
      </div>
      <div
        ref={scrollRef}
        data-testid="subscription-scroller"
        style={{ height: 'calc(100vh - 330px)', minHeight: 240, overflow: 'auto' }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rowsByPage.get(Math.floor(item.index / PAGE_SIZE))?.[item.index % PAGE_SIZE];
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                data-testid={row ? 'subscription-row' : 'subscription-row-loading'}
                onClick={row ? () => props.onOpen(row.id) : undefined}
                // Keyboard: Tab to a row, Enter opens its detail (the checkbox keeps Space).
                tabIndex={row ? 0 : -1}
                onKeyDown={(event) => {
                  if (row && event.key === 'Enter' && event.target === event.currentTarget)
                    props.onOpen(row.id);
                }}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                  display: 'grid',
                  gridTemplateColumns: GRID,
                  alignItems: 'center',
                  gap: 8,
                  padding: '0 10px',
                  cursor: row ? 'pointer' : 'default',
                  borderBottom: '1px solid var(--mantine-color-default-border)',
                  background:
                    row && props.isSelected(row.id) ? 'var(--mantine-primary-color-light)' : undefined,
                }}
              >
                {row ? (
                  <RowCells row={row} selected={props.isSelected(row.id)} onToggle={props.onToggle} />
                ) : (
                  <Skeleton height={10} style={{ gridColumn: '1 / -1' }} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

const RowCells = memo(function RowCells({
  row,
  selected,
  onToggle,
}: {
  row: SubscriptionRow;
  selected: boolean;
  onToggle: (id: number) => void;
}) {
  return (
    <>
      <div role="cell" onClick={(event) => event.stopPropagation()}>
        <Checkbox
          aria-label={`Select ${row.endpoint}`}
          checked={selected}
          onChange={() => onToggle(row.id)}
          size="xs"
        />
      </div>
      <Tooltip label={row.endpoint} openDelay={600} withinPortal>
        <Text role="cell" size="xs" ff="monospace" style={cell}>
          {row.endpoint}
        </Text>
      </Tooltip>
      <Text role="cell" size="xs" style={cell}>
        {row.label ?? ''}
      </Text>
      <div role="cell" style={cell}>
        {row.tags.map((tag) => (
          <Badge key={tag} size="xs" variant="light" mr={4} tt="none">
            {tag}
          </Badge>
        ))}
      </div>
      <Text role="cell" size="xs">
        {serviceNames[row.pushService]}
      </Text>
      <Text role="cell" size="xs" c={row.timeZone ? undefined : 'dimmed'} style={cell}>
        {row.timeZone ?? 'default'}
      </Text>
      <div role="cell">
        <Badge size="xs" variant="dot" color={row.status === 'active' ? 'teal' : 'gray'} tt="none">
          {row.status}
        </Badge>
      </div>
      <Text role="cell" size="xs" c="dimmed">
        {formatDate(row.createdAt)}
      </Text>
      <Text role="cell" size="xs" c="dimmed" style={cell}>
        {lastResult(row)}
      </Text>
    </>
  );
});
