// The ordered list of migrations: the position in this list is the schema version. Append only.
import type Database from 'better-sqlite3';
import { foundation } from './001-foundation.ts';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [foundation];
