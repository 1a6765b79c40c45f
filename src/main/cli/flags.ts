// Parsers of CLI flag values shared by commands: repeatable flags and bounded numbers.
import { InvalidArgumentError } from 'commander';

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

export function positive(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number above 0');
  return value;
}

/** The notification flags of `send` and `template save`. */
export interface NotificationFlags {
  title?: string;
  body?: string;
  url?: string;
  icon?: string;
  image?: string;
  badge?: string;
  notificationTag?: string;
}

export function notificationFromFlags(flags: NotificationFlags, title: string) {
  const { body, url, icon, image, badge, notificationTag: tag } = flags;
  return { title, body, url, icon, image, badge, tag };
}
