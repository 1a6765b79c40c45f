// A failure said in a red notification: what failed (the title), then the error's own message.
import { notifications } from '@mantine/notifications';

export function showError(title: string): (error: unknown) => void {
  return (error) => notifications.show({ color: 'red', title, message: (error as Error).message });
}
