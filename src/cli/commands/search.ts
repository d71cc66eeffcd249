import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { SearchHit } from '../../store/types.ts';
import { openForReading } from './open-archive.ts';
import { CliError, DEFAULT_ARCHIVE, positiveInt, writeLine, type CommandContext } from './common.ts';

type SearchOpts = { archive: string; year?: string; site?: string; region?: string; limit: number; json?: boolean };

/** `nianbao search TEXT`: reports whose text contains TEXT (FTS5 trigram index, read-only). */
export function searchCommand(ctx: CommandContext): Command {
  return new Command('search')
    .description('find reports whose text contains a phrase (three characters or more), e.g. nianbao search "依申请公开" --year 2023')
    .argument('<text>', 'the phrase, taken literally')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--year <year>', 'only reports covering this year')
    .option('--site <id>', 'only reports of this site')
    .option('--region <code>', 'only reports whose region code starts with this')
    .option('--limit <n>', 'at most this many reports', positiveInt('--limit'), 50)
    .option('--json', 'one JSON object per line')
    .action(async (text: string, opts: SearchOpts) => {
      if (!existsSync(opts.archive)) throw new CliError(`no archive at ${opts.archive}`);
      const year = opts.year === undefined ? undefined : Number(opts.year);
      if (year !== undefined && !Number.isInteger(year)) throw new CliError(`--year must be a year like 2023, got "${opts.year}"`);
      const { ArchiveError } = await import('../../store/archive.ts');
      // Read-only: works on a file the user may not write, touches nothing, leaves no -wal/-shm files.
      const archive = await openForReading(opts.archive);
      try {
        let hits: SearchHit[];
        try {
          hits = archive.search(text, { year, siteId: opts.site, regionCode: opts.region, limit: opts.limit });
        } catch (err) {
          if (err instanceof ArchiveError && err.code === 'invalid_input')
            throw new CliError(`search "${text}": the index matches three characters or more`);
          throw err;
        }
        for (const h of hits) {
          writeLine(
            ctx.stdout,
            opts.json
              ? JSON.stringify(h)
              : `#${h.reportId}\t${h.year ?? '????'}\t${h.regionName ?? ''}\t${h.title ?? ''}\t${h.url}\n\t…${h.snippet}…`,
          );
        }
        if (!opts.json)
          writeLine(
            ctx.stdout,
            `${hits.length} report${hits.length === 1 ? '' : 's'}${hits.length === opts.limit ? ` (first ${opts.limit}; --limit for more)` : ''}`,
          );
      } finally {
        archive.close();
      }
    });
}
