// The files the window may read, by token: main registers a file the user dropped on the window (or
// picked in its file input) and hands the window a random token for it, which it resolves here. A path the
// window makes up is never used (issue 12: it read and overwrote arbitrary files through the import channels).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChosenFile } from '../../shared/files.ts';
import { PushdeckError } from '../../shared/errors.ts';

/** A file chosen to import (dropped or picked); the window saves through main's dialog, never by token. */
export interface FileGrant {
  path: string;
}

/** Tokens kept per process: the oldest goes first beyond this many. */
const MAX_TOKENS = 256;

export class FileTokens {
  readonly #grants = new Map<string, FileGrant>();

  register(file: string): ChosenFile {
    const token = crypto.randomUUID();
    this.adopt(token, { path: path.resolve(file) });
    let size: number | null;
    try {
      size = fs.statSync(file).size;
    } catch {
      size = null;
    }
    return { token, name: path.basename(file), size };
  }

  /** A token main registered, passed on to a thread that answers for main (the query thread). */
  adopt(token: string, grant: FileGrant): void {
    this.#grants.set(token, grant);
    while (this.#grants.size > MAX_TOKENS) this.#grants.delete(this.#grants.keys().next().value!);
  }

  lookup(token: string): FileGrant | undefined {
    return this.#grants.get(token);
  }

  /** The path behind a token; a token main never gave is refused. */
  resolve(token: string): string {
    const grant = this.#grants.get(token);
    if (!grant) {
      throw new PushdeckError(
        'FILE_TOKEN_UNKNOWN',
        'That file is no longer known to Pushdeck: choose it again in the file dialog or drop it again.',
      );
    }
    return grant.path;
  }
}

/**
 * A file dropped on the window, as the preload found its path (webUtils.getPathForFile): registered for
 * reading, if it is an existing regular file. The window gets the token, never uses the path.
 */
export function registerDroppedFile(tokens: FileTokens, file: unknown): ChosenFile {
  if (typeof file !== 'string' || !path.isAbsolute(file)) {
    throw new PushdeckError('FILE_NOT_READABLE', 'Drop a file from your computer onto the window.');
  }
  if (!isRegularFile(file)) {
    throw new PushdeckError('FILE_NOT_READABLE', `${path.basename(file)} is not a file Pushdeck can read.`);
  }
  return tokens.register(file);
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file token in a request's input (an import's `source.file`), for the query thread. */
export function fileTokensIn(input: unknown): string[] {
  const file = (input as { source?: { file?: unknown } } | null)?.source?.file;
  return typeof file === 'string' ? [file] : [];
}
