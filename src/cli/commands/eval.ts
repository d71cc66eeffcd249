import { Command } from 'commander';
import { type CaseOutcome, EvalInputError, type EvalTotals, evalPassed, evaluate, formatTotals } from '../../eval/index.ts';
import { CliError, writeLine, type CommandContext } from './common.ts';

const MAX_PROBLEMS_SHOWN = 60;

/** `nianbao eval DIR…`: scores `parse --json` against every expected file in the folders, in one process. */
export function evalCommand(ctx: CommandContext): Command {
  return new Command('eval')
    .description('score the parser against hand-checked reports: every *.expected.json (or expected/*.json) in the folders named')
    .argument(
      '<dirs...>',
      'folders holding reports and their expected files (e.g. test/fixtures/reports/seeds test/fixtures/reports/corpus)',
    )
    .option('--verbose', 'list every difference under its report')
    .option('--ext <ext>', 'only reports whose file has this extension (pdf, html, txt)')
    .action(async (dirs: string[], opts: { verbose?: boolean; ext?: string }) => {
      const line = (outcome: CaseOutcome) => {
        const s = outcome.score;
        const status = s.problems.length ? 'DIFF ' : 'OK   ';
        writeLine(
          ctx.stdout,
          `${status} ${outcome.name}  ${s.right}/${s.cells} cells${s.problems.length ? `  (${s.problems.length} problems)` : ''}`,
        );
        if (opts.verbose) for (const p of s.problems.slice(0, MAX_PROBLEMS_SHOWN)) writeLine(ctx.stdout, `        ${p}`);
      };
      let totals: EvalTotals;
      try {
        ({ totals } = await evaluate(dirs, { ext: opts.ext, onCase: line }));
      } catch (e) {
        if (e instanceof EvalInputError) throw new CliError(`eval: ${e.message}`, 2);
        throw e;
      }
      if (totals.reports === 0) throw new CliError(`eval: no expected files in ${dirs.join(', ')}`, 2);
      writeLine(ctx.stdout);
      for (const l of formatTotals(totals)) writeLine(ctx.stdout, l);
      if (!evalPassed(totals)) ctx.exitCode = 1;
    });
}
