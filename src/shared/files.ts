// The window's files: it never names a path. A file dropped on it or picked in its file input (the preload
// registers the path) comes back as an opaque token; main keeps token → path.
import { z } from 'zod';

/** A file the user chose, as the window knows it: a token, and the name and size to show. */
export interface ChosenFile {
  token: string;
  name: string;
  /** Bytes, for a file to read; null for a file to write. */
  size: number | null;
}

export const fileTokenSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
    message: 'not a file token: choose the file in Pushdeck’s file dialog or drop it on the window',
  });
