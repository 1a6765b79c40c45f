// Compose: write a notification, preview it live for a sample subscriber, check it, and pick its audience
// and delivery options. The draft saves itself; "Review and send" hands everything to the campaigns area.
import { Button, Card, Grid, Group, Loader, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCode, IconPencil, IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import type {
  AudienceFilter,
  ComposeDraft,
  MessageSpec,
  ComposeOptions,
} from '../../../../../shared/compose.ts';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useCurrentApp, type CurrentApp } from '../../apps/current-app.ts';
import { useCreateCampaign } from '../../campaigns/mutations.ts';
import { completeParts, emptyDraft, useAutosavedDraft, type DraftStatus } from '../compose-draft.ts';
import { draftQuery, previewQuery } from '../queries.ts';
import { AudienceBuilder } from './AudienceBuilder.tsx';
import { BudgetBar } from './BudgetBar.tsx';
import { CheckerList } from './CheckerList.tsx';
import { DeliveryOptions } from './DeliveryOptions.tsx';
import { MessageForm } from './MessageForm.tsx';
import { NotificationPreview } from './NotificationPreview.tsx';
import { SetupHelp } from './SetupHelp.tsx';
import { TemplateMenu } from './TemplateMenu.tsx';
import { sharesProblem, VariantsEditor, type ComposeVariants } from './VariantsEditor.tsx';
import { showError } from '../../../components/show-error.ts';

/** What the composer hands over when the user sends: the campaigns area turns it into a campaign. */
export interface ComposeSubmission {
  appId: number;
  message: MessageSpec;
  audience: AudienceFilter;
  options: ComposeOptions;
  /** An A/B test: the variants, each sent to its share, instead of `message` alone. */
  variants?: ComposeVariants;
}

export type SendHandler = (submission: ComposeSubmission) => Promise<void> | void;

export function ComposePage({
  onNavigate,
  onSend,
}: {
  onNavigate: Navigate;
  /** What "Review and send" does; by default it creates a draft campaign and opens it in Campaigns. */
  onSend?: SendHandler;
}) {
  const { app } = useCurrentApp();
  const createCampaign = useCreateCampaign();
  const openAsCampaign: SendHandler = async (submission) => {
    const campaign = await createCampaign.mutateAsync(submission);
    window.location.hash = `#/campaigns/${campaign.id}`;
  };
  if (!app) {
    return (
      <>
        <PageHeader
          title="Compose"
          description="Write a notification, preview it and choose who receives it."
        />
        <EmptyState
          icon={<IconPencil size={28} />}
          title="Nothing to compose for yet"
          description="Notifications go to the subscribers of an app. Create an app under Keys first."
          action={{ label: 'Create an app', onClick: () => onNavigate('keys') }}
        />
      </>
    );
  }
  return <DraftLoader key={app.id} app={app} onSend={onSend ?? openAsCampaign} />;
}

function DraftLoader(props: { app: CurrentApp; onSend: SendHandler }) {
  const draft = useQuery(draftQuery(props.app.id));
  if (draft.isPending) {
    return (
      <>
        <PageHeader title="Compose" />
        <Loader />
      </>
    );
  }
  return <Composer app={props.app} initial={draft.data ?? emptyDraft} onSend={props.onSend} />;
}

function Section(props: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" padding="lg" data-testid={props.testId}>
      <Title order={4} mb="md">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

function statusText(status: DraftStatus): string {
  switch (status.state) {
    case 'idle':
      return 'Changes are saved as a draft as you type.';
    case 'saved':
      return `Draft saved at ${new Date(status.at).toLocaleTimeString()}.`;
    case 'error':
      return `Draft not saved: ${status.message}`;
  }
}

function Composer(props: { app: CurrentApp; initial: ComposeDraft; onSend: SendHandler }) {
  const { app } = props;
  const { draft, setDraft, status } = useAutosavedDraft(app.id, props.initial);
  const [revision, setRevision] = useState(0);
  const [setupOpen, setSetupOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const request = useMemo(() => ({ appId: app.id, ...completeParts(draft) }), [app.id, draft]);
  const [settled] = useDebouncedValue(request, 200);
  const preview = useQuery(previewQuery(settled));
  const current = preview.data && settled === request && !preview.isPlaceholderData ? preview.data : null;
  // The A/B test lives with the open composer (not in the saved draft); the form edits variant `selected`.
  const [ab, setAb] = useState<ComposeVariants | null>(null);
  const [selected, setSelected] = useState(0);
  const blocked =
    (preview.data?.findings.some((f) => f.severity === 'block') ?? true) ||
    (ab !== null && sharesProblem(ab) !== null);

  const update = (patch: Partial<ComposeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const editMessage = (message: MessageSpec) => {
    update({ message });
    setAb(
      (plan) =>
        plan && { ...plan, variants: plan.variants.map((v, i) => (i === selected ? { ...v, message } : v)) },
    );
  };
  const selectVariant = (index: number, plan = ab) => {
    setSelected(index);
    const chosen = plan?.variants[index];
    if (chosen) {
      update({ message: chosen.message });
      setRevision((r) => r + 1);
    }
  };

  const send = async () => {
    setSending(true);
    try {
      const { message, audience, options } = completeParts(draft);
      const variants = ab && {
        ...ab,
        variants: ab.variants.map((v) => ({
          ...v,
          message: completeParts({ ...draft, message: v.message }).message,
        })),
      };
      // A variants campaign's message (and default name) is its first variant's, as the core stores it.
      await props.onSend({
        appId: app.id,
        message: variants ? variants.variants[0]!.message : message,
        audience,
        options,
        ...(variants ? { variants } : {}),
      });
    } catch (error) {
      showError('Not sent')(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Compose"
        description={`A notification for the subscribers of ${app.name}.`}
        actions={
          <>
            <Button variant="subtle" leftSection={<IconCode size={16} />} onClick={() => setSetupOpen(true)}>
              Setup help
            </Button>
            <TemplateMenu
              appId={app.id}
              message={draft.message}
              onLoad={(message, name) => {
                editMessage(message);
                setRevision((r) => r + 1);
                notifications.show({ message: `Loaded template ${name}` });
              }}
            />
            <Tooltip
              label={
                blocked ? 'Fix the problems the checker lists first' : 'Review the campaign, then send it'
              }
            >
              <Button
                leftSection={<IconSend size={16} />}
                disabled={blocked || !current}
                loading={sending}
                onClick={() => void send()}
              >
                Review and send
              </Button>
            </Tooltip>
          </>
        }
      />
      <Text size="xs" c="dimmed" mt={-12} mb="md" data-testid="draft-status">
        {statusText(status)}
      </Text>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Section title="A/B test" testId="variants-section">
              <VariantsEditor
                plan={ab}
                selected={selected}
                message={draft.message}
                onChange={setAb}
                onSelect={(index, plan) => selectVariant(index, plan ?? ab)}
              />
            </Section>
            <Section
              title={ab ? `Message · variant ${ab.variants[selected]?.name ?? ''}` : 'Message'}
              testId="message-section"
            >
              <MessageForm
                key={revision}
                message={draft.message}
                onChange={editMessage}
                placeholders={preview.data?.placeholders ?? []}
              />
            </Section>
            <Section title="Audience" testId="audience-section">
              <AudienceBuilder
                appId={app.id}
                audience={draft.audience}
                onChange={(audience) => update({ audience })}
              />
            </Section>
            <Section title="Delivery" testId="delivery-section">
              <DeliveryOptions options={draft.options} onChange={(options) => update({ options })} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg" style={{ position: 'sticky', top: 16 }}>
            <Card withBorder radius="md" padding="lg">
              <Group justify="space-between" mb="sm">
                <Title order={4}>Preview</Title>
                {preview.isFetching && <Loader size="xs" />}
              </Group>
              <NotificationPreview
                rendered={preview.data?.rendered ?? null}
                payloadText={preview.data?.payloadText ?? null}
                origin={app.name}
                sampleLabel={preview.data?.sample?.label ?? null}
              />
            </Card>
            <Card withBorder radius="md" padding="lg">
              <Stack gap="md">
                {preview.data && <BudgetBar budget={preview.data.budget} />}
                <Title order={5}>Pre-send checks</Title>
                {preview.data ? <CheckerList findings={preview.data.findings} /> : <Loader size="sm" />}
                {preview.error && <Text c="red">{preview.error.message}</Text>}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <SetupHelp appId={app.id} appName={app.name} opened={setupOpen} onClose={() => setSetupOpen(false)} />
    </>
  );
}
