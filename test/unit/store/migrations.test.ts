import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ArchiveError, loadMigrations, migrate } from '../../../src/store/index.ts';
import { tempDir } from './helpers.ts';

function migrationsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  ).map((r) => r.name);

describe('migrate', () => {
  it('applies in order, records each in the ledger, and a rerun is a no-op', () => {
    const dir = migrationsDir({ '0002_more.sql': 'CREATE TABLE b (y);', '0001_first.sql': 'CREATE TABLE a (x);', 'README.md': 'ignored' });
    const db = new Database(':memory:');
    expect(migrate(db, 'mem', loadMigrations(dir))).toEqual(['0001_first', '0002_more']);
    expect(migrate(db, 'mem', loadMigrations(dir))).toEqual([]);
    expect(tables(db)).toEqual(['_migrations', 'a', 'b']);
    expect(db.prepare('SELECT count(*) AS n FROM _migrations').get()).toEqual({ n: 2 });
  });

  it('rolls a failing migration back completely and applies it once fixed', () => {
    const ok = { '0001_first.sql': 'CREATE TABLE a (x);' };
    const db = new Database(':memory:');
    const broken = migrationsDir({ ...ok, '0002_broken.sql': 'CREATE TABLE b (y);\nINSERT INTO a VALUES (1);\nTHIS IS NOT SQL;' });
    let err: unknown;
    try {
      migrate(db, 'archive.sqlite', loadMigrations(broken));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).code).toBe('migration_failed');
    expect((err as ArchiveError).message).toMatch(/archive\.sqlite: migration 0002_broken failed/);
    // 0001 stays applied; nothing of 0002 survives (neither its table nor its insert nor a ledger row).
    expect(tables(db)).toEqual(['_migrations', 'a']);
    expect(db.prepare('SELECT count(*) AS n FROM a').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT name FROM _migrations').all()).toEqual([{ name: '0001_first' }]);

    const fixed = migrationsDir({ ...ok, '0002_broken.sql': 'CREATE TABLE b (y);' });
    expect(migrate(db, 'archive.sqlite', loadMigrations(fixed))).toEqual(['0002_broken']);
  });

  it('accepts a migration whose comments changed, refuses one whose statements changed', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      'a.sqlite',
      loadMigrations(migrationsDir({ '0001_first.sql': '-- the first table\nCREATE TABLE a (x); -- x: anything\n' })),
    );
    const commented = migrationsDir({
      '0001_first.sql': '-- the first table, see docs/schema.md\n\nCREATE TABLE a (x);   -- x: a value\n',
    });
    expect(migrate(db, 'a.sqlite', loadMigrations(commented))).toEqual([]);
    const edited = migrationsDir({ '0001_first.sql': '-- the first table\nCREATE TABLE a (x, y);\n' });
    expect(() => migrate(db, 'a.sqlite', loadMigrations(edited))).toThrow(/a\.sqlite: migration 0001_first changed after it was applied/);
  });

  it('opens archives whose ledger holds the whole-file checksum earlier versions recorded for 0001_init', () => {
    const db = new Database(':memory:');
    const [init] = loadMigrations();
    db.exec(init.sql);
    db.exec(
      'CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    db.prepare('INSERT INTO _migrations VALUES (1, ?, ?, ?)').run(
      '0001_init',
      'da61d2c7d5149de1cf17b225c8449fe8b82d65bd3d31fb1b30c3bada5b1be3c6',
      '2026-11-30T00:00:00Z',
    );
    expect(() => migrate(db, 'old.sqlite', [init])).not.toThrow();
    db.prepare('UPDATE _migrations SET checksum = ? WHERE id = 1').run('0'.repeat(64));
    expect(() => migrate(db, 'old.sqlite', [init])).toThrow(/migration 0001_init changed/);
  });

  it('rejects gaps in the numbering', () => {
    const dir = migrationsDir({ '0001_a.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' });
    expect(() => loadMigrations(dir)).toThrow(/0003_c is out of sequence/);
  });

  it('ships 0001_init as the first migration', () => {
    expect(loadMigrations()[0].name).toBe('0001_init');
  });
});
