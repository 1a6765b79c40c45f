// A real full disk for tests: a small tmpfs mounted on a temp folder (mounting needs root, as in the CI
// container), where the kernel answers writes past its size with ENOSPC like any full file system.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './temp-dir.ts';

export interface FullDisk {
  dir: string;
  /** Takes all the free space but `leaveBytes` (in a file named .filler). */
  fill(leaveBytes?: number): void;
  /** Frees what fill() took. */
  free(): void;
}

export function smallDisk(sizeKb: number): FullDisk {
  if (process.getuid?.() !== 0) {
    throw new Error('A full-disk test mounts a tmpfs, which needs root (or run it under `unshare -rm`).');
  }
  const dir = path.join(tempDir(), 'small-disk');
  fs.mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  // Hooks run in reverse order: this unmounts before tempDir removes the folder.
  afterAll(() => execFileSync('umount', ['--lazy', dir]));
  const filler = path.join(dir, '.filler');
  return {
    dir,
    fill(leaveBytes = 0) {
      const { bavail, bsize } = fs.statfsSync(dir);
      const take = bavail * bsize - leaveBytes;
      if (take > 0) fs.appendFileSync(filler, Buffer.alloc(take));
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
  };
}
