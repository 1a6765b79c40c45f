// A read or change that failed, in red: what failed (the title), then the error's own message.
import { Alert } from '@mantine/core';

export function ErrorAlert(props: { error: Error | null | undefined; title?: string }) {
  return props.error ? (
    <Alert color="red" title={props.title}>
      {props.error.message}
    </Alert>
  ) : null;
}
