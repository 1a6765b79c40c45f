// Copies text to the clipboard and says so; when the clipboard is refused, says where to copy it by hand.
import { notifications } from '@mantine/notifications';

export async function copyText(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notifications.show({ color: 'green', message: `${what} copied to the clipboard.` });
  } catch {
    notifications.show({
      color: 'yellow',
      title: 'The clipboard is not available',
      message: `Select the ${what.toLowerCase()} in its box and copy it by hand.`,
    });
  }
}
