import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ArchiveError } from './errors.ts';

const VIEWS_FILE = fileURLToPath(new URL('./views.sql', import.meta.url));
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Refuses, without writing a byte, a file that is not SQLite or whose schema cannot be read. */
export function checkExistingFile(file: string, shown: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new ArchiveError('open_failed', shown, (cause as Error).message, { cause });
  }
  if (size === 0) return; // an empty file is what SQLite itself creates before the first write
  const head = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 16, 0);
  } catch (cause) {
    throw new ArchiveError('open_failed', shown, (cause as Error).message, { cause });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new ArchiveError('not_sqlite', shown, 'is not an SQLite database (wrong file header); it was not modified', {
      suggestion: 'pass the path of a nianbao archive, or a new path to create one',
    });
  }
  let ro: Database.Database | undefined;
  let names: string[];
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true });
    names = (ro.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
  } catch (cause) {
    throw new ArchiveError('corrupt', shown, `is damaged: ${(cause as Error).message}; it was not modified`, {
      cause,
      suggestion: 'restore it from a backup, or try `sqlite3 FILE .recover`',
    });
  } finally {
    ro?.close();
  }
  // Migrating would add our tables to somebody else's database.
  if (names.length > 0 && !names.includes('_migrations')) {
    throw new ArchiveError(
      'not_archive',
      shown,
      `is an SQLite database but not a nianbao archive (tables: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); it was not modified`,
      {
        suggestion: 'pass the path of a nianbao archive, or a new path to create one',
      },
    );
  }
}

export function recreateViews(db: Database.Database, file: string): void {
  const sql = readFileSync(VIEWS_FILE, 'utf8');
  try {
    db.transaction(() => {
      const views = db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' AND name LIKE 'v\\_%' ESCAPE '\\'").all() as {
        name: string;
      }[];
      for (const v of views) db.exec(`DROP VIEW IF EXISTS "${v.name}"`);
      db.exec(sql);
    })();
  } catch (cause) {
    throw new ArchiveError('migration_failed', file, `src/store/views.sql failed: ${(cause as Error).message}`, { cause });
  }
}
