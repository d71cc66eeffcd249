// Archive size against the compressed snapshots it holds (issue 10's target: file ≤ 1.5 × sum(stored_size)).
//   node --import tsx scripts/archive-size.ts data/demo.sqlite            size of the archive as it is
//   node --import tsx scripts/archive-size.ts --migrate-copy OLD.sqlite  baseline (the file as given) and
//                                                                        a migrated copy, in the same run
// Prints the file size, sum(snapshots.stored_size), their ratio and the biggest tables/indexes (dbstat).
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Archive } from '../src/store/archive.ts';

function measure(label: string, file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    const size = statSync(file).size + wal;
    const { stored } = db.prepare('SELECT ifnull(sum(stored_size), 0) AS stored FROM snapshots').get() as { stored: number };
    const ratio = size / stored;
    console.log(
      `${label}: archive ${(size / 1e6).toFixed(2)} MB, compressed snapshots ${(stored / 1e6).toFixed(2)} MB, ratio ${ratio.toFixed(2)}`,
    );
    const top = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8').all() as {
      name: string;
      bytes: number;
    }[];
    console.log(`  ${top.map((t) => `${t.name} ${(t.bytes / 1e6).toFixed(2)}`).join(', ')} (MB)`);
    return ratio;
  } finally {
    db.close();
  }
}

const args = process.argv.slice(2);
const migrateCopy = args[0] === '--migrate-copy';
const file = migrateCopy ? args[1] : args[0];
if (!file || !existsSync(file)) {
  console.error('usage: scripts/archive-size.ts [--migrate-copy] ARCHIVE.sqlite');
  process.exit(2);
}
if (!migrateCopy) {
  measure(file, file);
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-size-'));
  try {
    const copy = path.join(dir, 'archive.sqlite');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const before = measure('as given', copy);
    const started = Date.now();
    Archive.open(copy).close();
    console.log(`  migrated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const after = measure('migrated', copy);
    console.log(
      `ratio ${after.toFixed(2)} (target ≤ 1.50), baseline ${before.toFixed(2)}: ${((100 * after) / before).toFixed(0)} % of the baseline`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
