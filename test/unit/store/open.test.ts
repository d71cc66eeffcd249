import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Archive, ArchiveError, loadMigrations } from '../../../src/store/index.ts';
import { SITE, count, tempDir, track } from './helpers.ts';

const openError = (file: string): ArchiveError => {
  try {
    track(Archive.open(file));
  } catch (e) {
    return e as ArchiveError;
  }
  throw new Error('expected Archive.open to fail');
};

describe('Archive.open', () => {
  it('creates missing folders and configures WAL, foreign keys and busy_timeout', () => {
    const file = join(tempDir(), 'deep/er/archive.sqlite');
    const a = track(Archive.open(file));
    expect(existsSync(file)).toBe(true);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(a.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('reopening applies nothing twice and keeps the data', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const a = Archive.open(file);
    a.upsertSite(SITE);
    const ledger = a.db.prepare('SELECT * FROM _migrations ORDER BY id').all();
    a.close();
    const b = track(Archive.open(file));
    expect(b.db.prepare('SELECT * FROM _migrations ORDER BY id').all()).toEqual(ledger);
    expect(count(b, 'sites')).toBe(1);
    expect((ledger[0] as { name: string }).name).toBe('0001_init');
  });

  it('opens an empty file (what a previous crash before the first write leaves) as a new archive', () => {
    const file = join(tempDir(), 'empty.sqlite');
    writeFileSync(file, '');
    const a = track(Archive.open(file));
    expect(a.stats().reports).toBe(0);
  });

  it('refuses a file that is not SQLite, naming it, and leaves it byte-for-byte unchanged', () => {
    const file = join(tempDir(), 'notes.sqlite');
    const bytes = Buffer.from('these are my research notes, not a database\n'.repeat(100));
    writeFileSync(file, bytes);
    const err = openError(file);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.code).toBe('not_sqlite');
    expect(err.path).toBe(file);
    expect(err.message).toContain(file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged SQLite file and leaves it unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'damaged.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const bytes = readFileSync(file);
    // Keep the 100-byte header, overwrite the schema page: SQLite recognises the file but cannot read it.
    bytes.fill(0xab, 100, bytes.length);
    writeFileSync(file, bytes);
    const err = openError(file);
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const file = join(tempDir(), 'other.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE customers (id, name)');
    raw.close();
    const bytes = readFileSync(file);
    const err = openError(file);
    expect(err.code).toBe('not_archive');
    expect(err.message).toContain('customers');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file migrated by a newer nianbao', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const a = Archive.open(file);
    a.db.prepare("INSERT INTO _migrations (id, name, checksum, applied_at) VALUES (999, '0999_future', 'x', 'now')").run();
    a.close();
    expect(openError(file).code).toBe('schema_too_new');
  });

  it('refuses a file whose applied migration no longer matches its source (migrations are append-only)', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const a = Archive.open(file);
    a.db.prepare("UPDATE _migrations SET checksum = 'edited' WHERE id = 1").run();
    a.close();
    const err = openError(file);
    expect(err.code).toBe('migration_edited');
    expect(err.message).toContain('0001_init');
  });

  it('recreates the views on open, so a dropped view comes back', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const a = Archive.open(file);
    a.db.exec('DROP VIEW v_figures');
    a.close();
    const b = track(Archive.open(file));
    expect(b.db.prepare("SELECT name FROM sqlite_master WHERE name = 'v_figures'").get()).toBeTruthy();
  });

  it('turns writes after close into an ArchiveError', () => {
    const a = Archive.open(join(tempDir(), 'archive.sqlite'));
    a.close();
    expect(() => a.upsertSite(SITE)).toThrow(ArchiveError);
  });
});

describe('Archive.open({ readonly: true })', () => {
  it('reads while another connection writes, and refuses to write', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const writer = track(Archive.open(file));
    writer.upsertSite(SITE);
    const reader = track(Archive.open(file, { readonly: true }));
    expect(reader.stats().sites).toBe(1);
    writer.upsertSite({ ...SITE, id: 'other' });
    expect(reader.stats().sites).toBe(2);
    let err: unknown;
    try {
      reader.upsertSite(SITE);
    } catch (e) {
      err = e;
    }
    expect((err as ArchiveError).code).toBe('readonly');
  });

  it('never creates a file and refuses one with pending migrations', () => {
    const dir = tempDir();
    expect(() => Archive.open(join(dir, 'none.sqlite'), { readonly: true })).toThrow(/does not exist/);
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
    const old = join(dir, 'old.sqlite');
    const raw = new Database(old);
    raw.exec('CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT, checksum TEXT, applied_at TEXT)');
    raw.close();
    expect(openError2(old).code).toBe('schema_outdated');
  });

  it('a second read-write connection to a migrated file applies nothing', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const a = track(Archive.open(file));
    const b = track(Archive.open(file));
    b.upsertSite(SITE);
    expect(count(a, '_migrations')).toBe(loadMigrations().length);
    expect(count(a, 'sites')).toBe(1);
  });
});

function openError2(file: string): ArchiveError {
  try {
    track(Archive.open(file, { readonly: true }));
  } catch (e) {
    return e as ArchiveError;
  }
  throw new Error('expected Archive.open to fail');
}
