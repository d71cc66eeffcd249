import { gunzipSync, gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';

/**
 * SQL functions the archive's own connections have: migrations compress with them (0002 turns JSON text
 * into gzip), and the archive's queries read compressed parse output back. Other SQLite clients lack them;
 * what they store is plain gzip, readable with any zlib (docs/schema.md).
 */
export function registerSqlFunctions(db: Database.Database): void {
  db.function('nianbao_gzip', { deterministic: true }, (text: unknown) =>
    text === null || text === undefined ? null : gzipSync(Buffer.isBuffer(text) ? text : Buffer.from(String(text), 'utf8'), { level: 9 }),
  );
  db.function('nianbao_gunzip', { deterministic: true }, (blob: unknown) =>
    blob === null || blob === undefined ? null : gunzipSync(blob as Buffer).toString('utf8'),
  );
}
