import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { ArchiveError } from './errors.ts';
import { registerSqlFunctions } from './sql-functions.ts';

export interface Migration {
  id: number; // 1 for 0001_init.sql
  name: string; // "0001_init"
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migration files shipped with this code, in order. Numbers must be 1, 2, 3 … without gaps. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => FILE_RE.test(f))
    .sort()
    .map((f) => ({ id: Number(f.slice(0, 4)), name: f.replace(/\.sql$/, ''), sql: readFileSync(`${dir}/${f}`, 'utf8') }));
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new Error(`${dir}: migration ${m.name} is out of sequence (expected number ${i + 1})`);
  });
  return migrations;
}

// The checksum covers the statements, not the comments: a comment may be corrected in a shipped migration
// (e.g. where it points to the docs), a statement may not.
const statementsOf = (sql: string) =>
  sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trimEnd())
    .filter((line) => line.length > 0)
    .join('\n');
const checksum = (sql: string) => createHash('sha256').update(statementsOf(sql)).digest('hex');

// Ledger checksums written before comments were left out (the whole file's sha256), for files as shipped then.
const CHECKSUMS_OF_WHOLE_FILES: Record<number, string[]> = {
  1: ['da61d2c7d5149de1cf17b225c8449fe8b82d65bd3d31fb1b30c3bada5b1be3c6'],
};
const checksumMatches = (m: Migration, recorded: string) =>
  recorded === checksum(m.sql) || (CHECKSUMS_OF_WHOLE_FILES[m.id] ?? []).includes(recorded);

/**
 * Applies the migrations the file has not seen, each in its own transaction together with its ledger
 * row, so a failure leaves the file at the last good migration and a rerun is a no-op.
 * Returns the names applied now.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: Migration[] = loadMigrations(),
  now = () => new Date().toISOString(),
): string[] {
  // A migration file must not manage its own transaction: it runs inside ours.
  registerSqlFunctions(db);
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Map(
    (db.prepare('SELECT id, name, checksum FROM _migrations').all() as { id: number; name: string; checksum: string }[]).map((r) => [
      r.id,
      r,
    ]),
  );
  const known = new Set(migrations.map((m) => m.id));
  for (const row of applied.values()) {
    if (!known.has(row.id)) {
      throw new ArchiveError('schema_too_new', file, `was migrated to ${row.name}, which this nianbao does not know`, {
        suggestion: 'upgrade nianbao or open a copy made before that migration',
      });
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    const prev = applied.get(m.id);
    if (prev) {
      if (!checksumMatches(m, prev.checksum)) {
        throw new ArchiveError('migration_edited', file, `migration ${m.name} changed after it was applied to this file`, {
          suggestion: 'migrations are append-only: restore the file and put the change in a new migration',
        });
      }
      continue;
    }
    let appliedNow = false;
    try {
      // IMMEDIATE takes the write lock before the ledger is re-read: two processes opening a new file
      // at once must not both apply 0001 (the loser would fail on "table already exists").
      db.transaction(() => {
        if (db.prepare('SELECT 1 FROM _migrations WHERE id = ?').get(m.id)) return;
        // Views are recreated from views.sql after migrating; dropped here (inside the transaction, so a
        // failed migration gets them back) so a migration may rebuild or rename tables they read.
        dropViews(db);
        db.exec(m.sql);
        db.prepare('INSERT INTO _migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
          m.id,
          m.name,
          checksum(m.sql),
          now(),
        );
        appliedNow = true;
      }).immediate();
    } catch (cause) {
      throw new ArchiveError('migration_failed', file, `migration ${m.name} failed and was rolled back: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (appliedNow) done.push(m.name);
  }
  return done;
}

/** Names of shipped migrations this file has not had applied (for read-only opens, which cannot migrate). */
export function pendingMigrations(db: Database.Database, migrations: Migration[] = loadMigrations()): string[] {
  const hasLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").get();
  const applied = new Set(hasLedger ? (db.prepare('SELECT id FROM _migrations').all() as { id: number }[]).map((r) => r.id) : []);
  return migrations.filter((m) => !applied.has(m.id)).map((m) => m.name);
}

/** Drops the v_* views (views.sql owns them; recreateViews puts them back). */
export function dropViews(db: Database.Database): void {
  const views = db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' AND name LIKE 'v\\_%' ESCAPE '\\'").all() as {
    name: string;
  }[];
  for (const v of views) db.exec(`DROP VIEW IF EXISTS "${v.name}"`);
}
