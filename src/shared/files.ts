// Contract of the window's files: it never names a path. Main's own open and save dialogs (and a drop, which
// the preload registers) give it an opaque token for the chosen file; main keeps token → path.
import { z } from 'zod';
import { channel } from './channel.ts';

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

export const filesChannels = {
  /** Main's open dialog for a subscription list; null when the user cancels. */
  'files.chooseImport': channel(z.object({}).strict()).returns<ChosenFile | null>(),
  /** Main's save dialog; the token is for writing that one file. */
  'files.chooseSave': channel(
    z
      .object({
        title: z.string().trim().min(1).max(200),
        defaultName: z.string().trim().min(1).max(255),
      })
      .strict(),
  ).returns<ChosenFile | null>(),
};
