// A VAPID subject field that checks, as the user types, the same rules main applies.
import { TextInput } from '@mantine/core';
import { validateSubject } from '../../../../../shared/vapid-subject.ts';

/** The error to show for a subject, or null; an empty optional subject is fine. */
export function subjectError(subject: string, required: boolean): string | null {
  if (subject.trim() === '' && !required) return null;
  try {
    validateSubject(subject);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function SubjectInput(props: {
  value: string;
  onChange: (value: string) => void;
  required: boolean;
  touched: boolean;
  description?: string;
}) {
  const error = props.touched || props.value !== '' ? subjectError(props.value, props.required) : null;
  return (
    <TextInput
      label="VAPID subject"
      description={
        props.description ??
        'A contact push services can reach: mailto:you@example.com or https://example.com'
      }
      placeholder="mailto:you@example.com"
      required={props.required}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      error={error}
    />
  );
}
