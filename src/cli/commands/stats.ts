import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { openForReading } from './open-archive.ts';
import { CliError, DEFAULT_ARCHIVE, writeLine, type CommandContext } from './common.ts';
import { formatArchiveStats, formatRows } from './summary.ts';

/** `nianbao stats`: what the archive holds. Read-only: never creates an archive. */
export function statsCommand(ctx: CommandContext): Command {
  return new Command('stats')
    .description('print what an archive holds: sites, fetches, snapshots, reports by year, figures, errors (opens it read-only)')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--json', 'print the numbers as JSON')
    .action(async (opts: { archive: string; json?: boolean }) => {
      if (!existsSync(opts.archive)) {
        throw new CliError(`no archive at ${opts.archive} (create one with \`nianbao crawl\` or \`nianbao demo\`)`);
      }
      // Read-only: works on a file the user may not write, touches nothing, leaves no -wal/-shm files.
      const archive = await openForReading(opts.archive);
      try {
        const s = archive.stats();
        if (opts.json) {
          writeLine(ctx.stdout, JSON.stringify(s, null, 2));
          return;
        }
        const runs = archive.db.prepare('SELECT id, status, started_at, finished_at FROM crawl_runs ORDER BY id DESC LIMIT 1').get() as
          | { id: number; status: string; started_at: string; finished_at: string | null }
          | undefined;
        writeLine(ctx.stdout, `archive ${opts.archive}`);
        const rows = formatArchiveStats(s);
        if (runs) rows.splice(2, 0, ['last run', `#${runs.id} ${runs.status}, started ${runs.started_at}`]);
        writeLine(ctx.stdout, formatRows(rows));
      } finally {
        archive.close();
      }
    });
}
