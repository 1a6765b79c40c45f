// The import dialog: what the file is (format, and for CSV where each column goes), tags to add, then the
// import's progress with a way to cancel, then the summary: inserted, updated, duplicates, rejected, why.
import {
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  columnTargets,
  rejectReasonText,
  type ColumnMapping,
  type ColumnTarget,
  type ImportFormat,
  type ImportSummary,
  type RejectReason,
  type WindowImportSource,
} from '../../../../../shared/subscriptions.ts';
import { call } from '../../../api/client.ts';
import { downloadText, useImport } from '../mutations.ts';
import { ImportTimeZonesNote } from './ImportTimeZones.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { DialogActions } from '../../../components/DialogActions.tsx';

export interface ImportFile {
  fileName: string;
  /** Bytes on disk (file) or characters (text). */
  size: number;
  /** A file main reads itself, by its token (desktop app), or the text the renderer read (browser). */
  source: WindowImportSource;
}

const targetLabels: Record<ColumnTarget, string> = {
  endpoint: 'Endpoint',
  p256dh: 'p256dh key',
  auth: 'auth secret',
  tags: 'Tags',
  label: 'Label',
  status: 'Status',
  created_at: 'Created at',
  expiration_time: 'Expiration time',
  timezone: 'Time zone',
  field: 'Custom field',
  ignore: 'Ignore',
};

function size(length: number): string {
  const kb = length / 1024;
  return kb < 1024 ? `${Math.max(1, Math.round(kb))} KB` : `${(kb / 1024).toFixed(1)} MB`;
}

export function ImportDialog(props: {
  appId: number;
  appName: string;
  file: ImportFile;
  onClose: () => void;
}) {
  const { file, appId } = props;
  const [format, setFormat] = useState<ImportFormat | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const importer = useImport();
  const preview = useQuery({
    queryKey: ['subscriptions', 'import-preview', file.fileName, file.size, format],
    queryFn: () =>
      call('subscriptions.import.preview', {
        source:
          'text' in file.source
            ? { text: file.source.text.slice(0, 256 * 1024), fileName: file.fileName }
            : file.source,
        format: format ?? undefined,
      }),
    gcTime: 0,
  });
  const columns = preview.data?.columns ?? [];
  const effective = (name: string, guessed: ColumnTarget) => mapping[name] ?? guessed;
  const mapped = new Set(columns.map((column) => effective(column.name, column.target)));
  const missing =
    preview.data?.format === 'csv'
      ? (['endpoint', 'p256dh', 'auth'] as const).filter((f) => !mapped.has(f))
      : [];
  const running = importer.isPending;
  const summary = importer.data;

  const start = () =>
    importer.mutate({
      appId,
      source: file.source,
      format: format ?? undefined,
      tags,
      mapping: Object.keys(mapping).length > 0 ? mapping : undefined,
    });

  const title = summary
    ? `Imported ${file.fileName}`
    : running
      ? `Importing ${file.fileName}…`
      : `Import ${file.fileName}`;
  return (
    <Modal
      opened
      onClose={running ? () => undefined : props.onClose}
      title={title}
      size="xl"
      closeOnClickOutside={!running}
    >
      {summary ? (
        <ImportSummaryView summary={summary} fileName={file.fileName} onClose={props.onClose} />
      ) : running ? (
        <Stack>
          <Progress
            value={
              importer.progress?.totalBytes
                ? (100 * importer.progress.bytes) / importer.progress.totalBytes
                : 2
            }
            animated
            aria-label="Import progress"
          />
          <Text size="sm" c="dimmed">
            {importer.progress
              ? `${importer.progress.rows.toLocaleString()} rows read · ${importer.progress.inserted.toLocaleString()} new · ${importer.progress.rejected.toLocaleString()} rejected`
              : 'Starting…'}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void importer.cancel()}>
              Cancel import
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text size="sm">
            Into <b>{props.appName}</b> · {size(file.size)}
          </Text>
          <ErrorAlert error={preview.error} title="This file cannot be imported" />
          <ErrorAlert error={importer.error} title="The import did not run" />
          <Group grow align="flex-end">
            <Select
              label="Format"
              description={preview.data ? `Detected: ${preview.data.format.toUpperCase()}` : undefined}
              data={[
                { value: 'auto', label: 'Detect from the content' },
                { value: 'json', label: 'JSON array' },
                { value: 'ndjson', label: 'NDJSON (one per line)' },
                { value: 'csv', label: 'CSV with a header row' },
              ]}
              value={format ?? 'auto'}
              onChange={(value) => setFormat(value && value !== 'auto' ? (value as ImportFormat) : null)}
              allowDeselect={false}
            />
            <TagsInput
              label="Add tags to every row"
              placeholder="e.g. spring-sale"
              value={tags}
              onChange={setTags}
            />
          </Group>
          {columns.length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Columns
              </Text>
              {missing.length > 0 && (
                <Alert color="yellow" title="Map the columns">
                  No column was recognised as {missing.join(', ')}. Choose which column holds each.
                </Alert>
              )}
              <Table withTableBorder fz="xs" data-testid="column-mapping">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Column</Table.Th>
                    <Table.Th>First value</Table.Th>
                    <Table.Th w={200}>Imports as</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {columns.map((column, i) => (
                    <Table.Tr key={`${column.name}-${i}`}>
                      <Table.Td>{column.name}</Table.Td>
                      <Table.Td
                        maw={280}
                        style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                      >
                        {preview.data?.sample[0]?.[i] ?? ''}
                      </Table.Td>
                      <Table.Td>
                        <Select
                          size="xs"
                          aria-label={`Import column ${column.name} as`}
                          data={columnTargets.map((target) => ({
                            value: target,
                            label: targetLabels[target],
                          }))}
                          value={effective(column.name, column.target)}
                          onChange={(value) =>
                            value && setMapping({ ...mapping, [column.name]: value as ColumnTarget })
                          }
                          allowDeselect={false}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          )}
          <DialogActions onCancel={props.onClose}>
            <Button
              onClick={start}
              disabled={Boolean(preview.error) || missing.length > 0 || preview.isPending}
            >
              Import
            </Button>
          </DialogActions>
        </Stack>
      )}
    </Modal>
  );
}

function Stat(props: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} c={props.color} data-testid={`import-${props.label.toLowerCase()}`}>
        {props.value.toLocaleString()}
      </Text>
    </Paper>
  );
}

function ImportSummaryView(props: { summary: ImportSummary; fileName: string; onClose: () => void }) {
  const { summary } = props;
  const reasons = Object.entries(summary.rejectsByReason) as [RejectReason, number][];
  const saveRejects = () =>
    downloadText(
      `row,reason,explanation\n${summary.rejects.map((r) => `${r.row},${r.reason},"${rejectReasonText(r.reason)}"`).join('\n')}\n`,
      `${props.fileName.replace(/\.[^.]+$/, '')}-rejects.csv`,
      'text/csv',
    );
  return (
    <Stack>
      {summary.cancelled && (
        <Alert color="yellow" title="Cancelled">
          The import stopped after {summary.rows.toLocaleString()} rows. Those rows are in the list; the rest
          of the file was not read.
        </Alert>
      )}
      {summary.notice && (
        <Alert color="yellow" title="The file ended early">
          {summary.notice}
        </Alert>
      )}
      <SimpleGrid cols={4}>
        <Stat label="Inserted" value={summary.inserted} color="teal" />
        <Stat label="Updated" value={summary.updated} />
        <Stat label="Duplicates" value={summary.duplicates} />
        <Stat label="Rejected" value={summary.rejected} color={summary.rejected > 0 ? 'red' : undefined} />
      </SimpleGrid>
      <ImportTimeZonesNote zones={summary.timeZones} />
      {reasons.length > 0 && (
        <Table withTableBorder fz="sm" data-testid="reject-reasons">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Why rows were rejected</Table.Th>
              <Table.Th w={90}>Rows</Table.Th>
              <Table.Th>First rows</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reasons.map(([reason, count]) => (
              <Table.Tr key={reason}>
                <Table.Td>{rejectReasonText(reason)}</Table.Td>
                <Table.Td>{count.toLocaleString()}</Table.Td>
                <Table.Td>
                  {summary.rejects
                    .filter((r) => r.reason === reason)
                    .slice(0, 8)
                    .map((r) => r.row)
                    .join(', ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="flex-end">
        {summary.rejected > 0 && (
          <Button variant="default" onClick={saveRejects}>
            Save rejects
          </Button>
        )}
        <Button onClick={props.onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
