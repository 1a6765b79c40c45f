// Writes a file all or nothing: into a temporary file beside it (same folder, so the same file system),
// flushed to disk, then renamed over it. A failed write (a full disk) leaves the previous file as it was
// and no temporary file behind; rename(2) replaces the target atomically on POSIX and NTFS.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PushdeckError } from '../../shared/errors.ts';

export interface FileReplacement {
  write(data: string | Uint8Array): void;
  /** Flushes and puts the file in place of the target. */
  commit(): void;
  /** Removes the temporary file; the target is untouched. */
  abort(): void;
}

export function replaceFile(file: string): FileReplacement {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
  );
  // Subscriber lists and results are the owner's only (issue 12: they were readable by any local user).
  const fd = fs.openSync(temporary, 'wx', 0o600);
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return {
    write(data) {
      // write(2) may write less than asked (a disk filling up writes what fits): go on until all is
      // written, and the next write reports why it could not (ENOSPC).
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done);
    },
    commit() {
      // Without the fsync a crash soon after could leave an empty file under the target's name.
      fs.fsyncSync(fd);
      close();
      fs.renameSync(temporary, file);
    },
    abort() {
      try {
        close();
      } catch {
        // Closing can report the same failure again (a full disk); the file goes anyway.
      }
      fs.rmSync(temporary, { force: true });
    },
  };
}

/** The error of a failed export, which says what became of the file. */
export function writeFailed(file: string, error: unknown, existed: boolean): PushdeckError {
  if (error instanceof PushdeckError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const advice =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'The disk is full: free some space or choose another place.'
      : 'Choose another place.';
  return new PushdeckError(
    'EXPORT_WRITE_FAILED',
    `Cannot write ${file}: ${(error as Error).message}. ${existed ? 'The file that was there is unchanged.' : 'No file was left.'} ${advice}`,
  );
}

function begin(file: string): { out: FileReplacement; existed: boolean } {
  const existed = fs.existsSync(file);
  try {
    return { out: replaceFile(file), existed };
  } catch (error) {
    throw writeFailed(file, error, existed);
  }
}

/** Fills `file` through `fill` all or nothing; a failure becomes EXPORT_WRITE_FAILED. */
export async function writeWholeFile<T>(
  file: string,
  fill: (out: FileReplacement) => T | Promise<T>,
): Promise<T> {
  const { out, existed } = begin(file);
  try {
    const result = await fill(out);
    out.commit();
    return result;
  } catch (error) {
    out.abort();
    throw writeFailed(file, error, existed);
  }
}

/** writeWholeFile for a synchronous fill; a result that `keep` refuses (a stop) leaves the target alone. */
export function writeWholeFileSync<T>(
  file: string,
  fill: (out: FileReplacement) => T,
  keep: (result: T) => boolean = () => true,
): T {
  const { out, existed } = begin(file);
  try {
    const result = fill(out);
    if (keep(result)) out.commit();
    else out.abort();
    return result;
  } catch (error) {
    out.abort();
    throw writeFailed(file, error, existed);
  }
}
