import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { openForReading } from './open-archive.ts';
import { CliError, DEFAULT_ARCHIVE, writeLine, type CommandContext } from './common.ts';

type ExportOpts = {
  archive: string;
  format?: string;
  wide?: boolean;
  out?: string;
  warc?: string;
  year?: number;
  region?: string;
  site?: string;
};

const year = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1990 || n > 2100) throw new CliError(`--year must be a year like 2023, got "${v}"`);
  return n;
};

/** `nianbao export`: figures as CSV/JSON Lines, or the snapshots as a WARC file. Opens the archive read-only. */
export function exportCommand(ctx: CommandContext): Command {
  return new Command('export')
    .description('write figures as CSV or JSON Lines (--format, --out), or the archived snapshots as a WARC 1.1 file (--warc)')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--format <csv|jsonl>', 'figures file format')
    .option('--wide', 'one row per report with its figures as columns (default: one row per figure)')
    .option('--out <file>', 'figures file to write')
    .option('--warc <file>', 'write the snapshots as WARC 1.1 request/response records (gzip per record when FILE ends in .gz)')
    .option('--year <year>', 'only reports covering this year', year)
    .option('--region <code>', 'only reports whose GB/T 2260 region code starts with this (360425, or 3604 for a prefecture)')
    .option('--site <id>', 'only reports (or, with --warc, fetches) of this site')
    .action(async (opts: ExportOpts) => {
      if (!existsSync(opts.archive)) throw new CliError(`no archive at ${opts.archive}`);
      if (!opts.warc && !opts.out) throw new CliError('export: give --out FILE (with --format csv|jsonl) or --warc FILE');
      if (opts.out && opts.format !== 'csv' && opts.format !== 'jsonl') {
        throw new CliError(`--format must be csv or jsonl, got ${opts.format === undefined ? 'nothing' : `"${opts.format}"`}`);
      }
      if (opts.region !== undefined && !/^\d{2,6}$/.test(opts.region))
        throw new CliError(`--region must be 2 to 6 digits of a GB/T 2260 code, got "${opts.region}"`);
      // Read-only: works on a file the user may not write, touches nothing, leaves no -wal/-shm files.
      const archive = await openForReading(opts.archive);
      try {
        if (opts.out) {
          const { exportFigures } = await import('../export/tables.ts');
          const r = await exportFigures(archive, opts.out, {
            format: opts.format as 'csv' | 'jsonl',
            wide: !!opts.wide,
            filter: { year: opts.year, region: opts.region, site: opts.site },
          });
          writeLine(ctx.stdout, `${r.rows} ${opts.wide ? 'reports' : 'figures'} written to ${opts.out}`);
        }
        if (opts.warc) {
          const { exportWarc } = await import('../export/warc.ts');
          const r = await exportWarc(archive, opts.warc, { siteId: opts.site });
          writeLine(
            ctx.stdout,
            `${r.responses} responses, ${r.revisits} revisits, ${r.requests} requests written to ${opts.warc} (${r.bytes} bytes)`,
          );
        }
      } finally {
        archive.close();
      }
    });
}
