// Conditions on custom fields typed as `city = Berlin` (Enter adds one): the subscription table's filter
// and a campaign's audience. An entry without `name = value` is not kept.
import { TagsInput } from '@mantine/core';
import { parseFieldCondition, type FieldCondition } from '../../../shared/field-filter.ts';

export function FieldConditionsInput(props: {
  value: FieldCondition[];
  onChange: (conditions: FieldCondition[]) => void;
  label?: string;
  w?: number;
}) {
  return (
    <TagsInput
      label={props.label}
      aria-label="Custom field equals"
      placeholder={props.value.length ? undefined : 'city = Berlin'}
      value={props.value.map(({ name, value }) => `${name} = ${value}`)}
      onChange={(entries) =>
        props.onChange(entries.map(parseFieldCondition).filter((c): c is FieldCondition => c !== null))
      }
      maxTags={10}
      clearable
      w={props.w}
    />
  );
}
