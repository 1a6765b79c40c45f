// Whether a link is one the user put in a message: a campaign's, a template's or the composer's draft. Only
// such links (and Pushdeck's own documentation) may leave the window for the system browser.
import type { Db } from '../db/database.ts';

/** True when `url`, exactly, is written in a stored message (its JSON text holds it as a string). */
export function isUrlInMessages(db: Db, url: string): boolean {
  // JSON.stringify escapes quotes and backslashes the way the stored JSON does.
  const needle = JSON.stringify(url);
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM campaigns WHERE instr(message, ?) > 0)
             OR EXISTS (SELECT 1 FROM templates WHERE instr(message, ?) > 0)
             OR EXISTS (SELECT 1 FROM compose_drafts WHERE instr(draft, ?) > 0)`,
      )
      .pluck()
      .get(needle, needle, needle) === 1
  );
}
