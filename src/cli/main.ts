import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, type CommandContext } from './commands/common.ts';
import { crawlCommand } from './commands/crawl.ts';
import { dashboardCommand } from './commands/dashboard.ts';
import { demoCommand } from './commands/demo.ts';
import { exportCommand } from './commands/export.ts';
import { evalCommand } from './commands/eval.ts';
import { reparseCommand } from './commands/reparse.ts';
import { searchCommand } from './commands/search.ts';
import { statsCommand } from './commands/stats.ts';
import { workCommand } from './commands/work.ts';

export type MainOptions = {
  stdout?: CommandContext['stdout'];
  stderr?: CommandContext['stderr'];
  /** Install SIGINT/SIGTERM handlers (the real CLI); tests calling main() in-process pass false. */
  handleSignals?: boolean;
};

async function registerParseCommand(program: Command, ctx: CommandContext): Promise<void> {
  // Loaded on its own: a CLI whose parser fails to load must still crawl, work and report stats.
  const { parseCommand } = await import('./commands/parse.ts');
  program.addCommand(parseCommand(ctx));
}

export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const controller = new AbortController();
  const ctx: CommandContext = {
    stdout: opts.stdout ?? process.stdout,
    stderr: opts.stderr ?? process.stderr,
    signal: controller.signal,
    exitCode: 0,
  };

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      ctx.stderr.write(`nianbao: ${sig}: stopping workers (again to force)\n`);
      controller.abort();
    } else {
      // A second Ctrl-C means the graceful stop is stuck; the private Redis watchdog still cleans up.
      process.exit(130);
    }
  };
  if (opts.handleSignals ?? true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  const program = new Command('nianbao')
    .version(packageVersion(), '-V, --version', 'print the nianbao version')
    .description('Crawl, parse and archive Chinese government information-disclosure annual reports (政府信息公开工作年度报告)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Usage errors look like every other error: one "nianbao: …" line.
      outputError: (s, write) => write(`nianbao: ${s.replace(/^error: /, '')}`),
    });
  program.addCommand(crawlCommand(ctx));
  program.addCommand(workCommand(ctx));
  program.addCommand(demoCommand(ctx));
  program.addCommand(statsCommand(ctx));
  program.addCommand(reparseCommand(ctx));
  program.addCommand(exportCommand(ctx));
  program.addCommand(searchCommand(ctx));
  program.addCommand(dashboardCommand(ctx));
  program.addCommand(evalCommand(ctx));
  try {
    await registerParseCommand(program, ctx);
  } catch (err) {
    if (argv[2] === 'parse') {
      ctx.stderr.write(`nianbao: the parse command is unavailable: ${(err as Error).message}\n`);
      return 1;
    }
  }
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync(argv);
    if (controller.signal.aborted && ctx.exitCode === 0 && !ctx.interruptHandled) ctx.exitCode = 130;
    // A command written against process.exitCode (rather than ctx) still gets its code through.
    if (ctx.exitCode === 0 && typeof process.exitCode === 'number' && process.exitCode !== 0) ctx.exitCode = process.exitCode;
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; usage errors were already printed by it.
      return err.exitCode;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    // One line for the user; NIANBAO_DEBUG=1 shows the stack for a bug report.
    const line = process.env.NIANBAO_DEBUG ? (e.stack ?? e.message) : e.message.trim().replace(/\s*\n\s*/g, '; ');
    ctx.stderr.write(`nianbao: ${line}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    if (opts.handleSignals ?? true) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

/** The version in package.json (the repository is run from its checkout: there is no build to stamp it). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
