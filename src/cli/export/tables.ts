import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Archive } from '../../store/archive.ts';
import { csvLine } from '../csv.ts';

// Figures out of the archive for spreadsheets and scripts: long (one row per figure, v_figures) or wide
// (one row per report, one column per figure key present in the selection). Only reports' latest parses.

export type ExportFilter = { year?: number; region?: string; site?: string };
export type TableFormat = 'csv' | 'jsonl';

const REPORT_COLUMNS = [
  'report_id',
  'site_id',
  'site_name',
  'region_code',
  'region_name',
  'year',
  'format',
  'issuer',
  'title',
  'url',
  'status',
  'parser_version',
] as const;

/** WHERE clause over v_figures / v_reports columns; `region` matches a code prefix (3604 = a prefecture). */
function where(f: ExportFilter): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  if (f.year !== undefined) parts.push('year = @year');
  if (f.region !== undefined) parts.push("region_code LIKE @region || '%'");
  if (f.site !== undefined) parts.push('site_id = @site');
  return {
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    params: { year: f.year ?? null, region: f.region ?? null, site: f.site ?? null },
  };
}

export async function exportFigures(
  archive: Archive,
  file: string,
  opts: { format: TableFormat; wide: boolean; filter: ExportFilter },
): Promise<{ rows: number }> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const w = where(opts.filter);
  let rows = 0;
  try {
    if (!opts.wide) {
      const cols = [...REPORT_COLUMNS.filter((c) => c !== 'parser_version'), 'key', 'value', 'parser_version', 'parse_run_id'];
      if (opts.format === 'csv') await write(csvLine(cols));
      const it = archive.db
        .prepare(`SELECT ${cols.join(', ')} FROM v_figures ${w.sql} ORDER BY report_id, key`)
        .iterate(w.params) as IterableIterator<Record<string, string | number | null>>;
      for (const r of it) {
        await write(opts.format === 'csv' ? csvLine(cols.map((c) => r[c])) : `${JSON.stringify(r)}\n`);
        rows++;
      }
    } else {
      const keys = (archive.db.prepare(`SELECT DISTINCT key FROM v_figures ${w.sql} ORDER BY key`).all(w.params) as { key: string }[]).map(
        (r) => r.key,
      );
      const cols = [...REPORT_COLUMNS];
      if (opts.format === 'csv') await write(csvLine([...cols, ...keys]));
      const figuresOf = archive.db.prepare('SELECT key, value FROM v_figures WHERE report_id = ?');
      const reports = archive.db.prepare(`SELECT ${cols.join(', ')} FROM v_reports ${w.sql} ORDER BY report_id`).all(w.params) as Record<
        string,
        string | number | null
      >[];
      for (const r of reports) {
        const figures = Object.fromEntries((figuresOf.all(r.report_id) as { key: string; value: number }[]).map((f) => [f.key, f.value]));
        await write(
          opts.format === 'csv'
            ? csvLine([...cols.map((c) => r[c]), ...keys.map((k) => figures[k])])
            : `${JSON.stringify({ ...r, figures })}\n`,
        );
        rows++;
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { rows };
}
