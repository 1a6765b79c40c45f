// The composer's A/B test: 2 to 5 variants, each a whole message with its share of the audience, the rest
// optionally held for the winner. The message form above edits the variant chosen here.
import { ActionIcon, Button, Group, NumberInput, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { MessageSpec } from '../../../../../shared/compose.ts';
import { MAX_VARIANTS, MIN_VARIANTS } from '../../../../../shared/variants.ts';

export interface ComposeVariants {
  variants: Array<{ name: string; share: number; message: MessageSpec }>;
  holdRest: boolean;
}

/** What is wrong with the shares, in the words of the core's check (variants.ts), or null. */
export function sharesProblem(plan: ComposeVariants): string | null {
  const total = plan.variants.reduce((sum, v) => sum + v.share, 0);
  if (plan.variants.some((v) => !(v.share > 0))) return 'Give every variant a share above 0 %.';
  if (total > 100) return `The shares add up to ${total} %: at most 100 %.`;
  if (!plan.holdRest && total !== 100)
    return `The shares add up to ${total} %: make them 100, or hold the rest.`;
  if (plan.holdRest && total === 100) return 'The variants take everyone: nothing is left to hold.';
  return null;
}

const nextName = (plan: ComposeVariants) =>
  'ABCDE'.split('').find((n) => !plan.variants.some((v) => v.name === n)) ?? `V${plan.variants.length + 1}`;

export function VariantsEditor(props: {
  plan: ComposeVariants | null;
  selected: number;
  message: MessageSpec;
  onChange: (plan: ComposeVariants | null) => void;
  /** `plan`: the plan just changed, when the choice comes with a change. */
  onSelect: (index: number, plan?: ComposeVariants) => void;
}) {
  const { plan } = props;
  const total = plan?.variants.reduce((sum, v) => sum + v.share, 0) ?? 0;
  const problem = plan && sharesProblem(plan);
  const setShare = (index: number, share: number) =>
    plan &&
    props.onChange({ ...plan, variants: plan.variants.map((v, i) => (i === index ? { ...v, share } : v)) });
  /** Puts `next` in place of the plan, and the form on its variant `index`. */
  const replace = (next: ComposeVariants, index: number) => {
    props.onChange(next);
    props.onSelect(index, next);
  };

  return (
    <Stack gap="sm">
      <Switch
        label="A/B test: send variants of the message to parts of the audience"
        checked={plan !== null}
        onChange={(e) => {
          if (!e.currentTarget.checked) return props.onChange(null);
          const variants = ['A', 'B'].map((name) => ({ name, share: 10, message: props.message }));
          replace({ variants, holdRest: true }, 0);
        }}
      />
      {plan && (
        <>
          <Group gap="xs" align="center">
            <Text size="sm">Editing</Text>
            <SegmentedControl
              aria-label="Variant edited"
              value={String(props.selected)}
              onChange={(value) => props.onSelect(Number(value))}
              data={plan.variants.map((v, i) => ({ value: String(i), label: `Variant ${v.name}` }))}
            />
          </Group>
          {plan.variants.map((v, i) => (
            <Group key={v.name} gap="xs" align="flex-end" data-testid={`variant-${v.name}`}>
              <Text fw={600} w={90} style={{ whiteSpace: 'nowrap' }}>
                Variant {v.name}
              </Text>
              <NumberInput
                label={`Share of variant ${v.name} (%)`}
                size="xs"
                min={0}
                max={100}
                decimalScale={2}
                value={v.share}
                onChange={(value) => setShare(i, typeof value === 'number' ? value : Number(value) || 0)}
                w={180}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Remove variant ${v.name}`}
                disabled={plan.variants.length <= MIN_VARIANTS}
                onClick={() => replace({ ...plan, variants: plan.variants.filter((_, j) => j !== i) }, 0)}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group justify="space-between">
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconPlus size={14} />}
              disabled={plan.variants.length >= MAX_VARIANTS}
              onClick={() => {
                // A new variant starts as a copy of the one being edited.
                const added = { name: nextName(plan), share: 10, message: props.message };
                replace({ ...plan, variants: [...plan.variants, added] }, plan.variants.length);
              }}
            >
              Add variant
            </Button>
            <Switch
              label="Hold the rest for the winner"
              checked={plan.holdRest}
              onChange={(e) => props.onChange({ ...plan, holdRest: e.currentTarget.checked })}
            />
          </Group>
          <Text size="xs" c={problem ? 'red' : 'dimmed'} data-testid="variants-summary">
            {problem ??
              (plan.holdRest
                ? `${Math.round((100 - total) * 100) / 100} % held: send them the winner from the campaign's results.`
                : 'The variants share the whole audience.')}
          </Text>
        </>
      )}
    </Stack>
  );
}
