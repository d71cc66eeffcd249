import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command } from 'commander';
import type { ParseResult } from '../../schema/parse-result.ts';
import type { CommandContext } from './common.ts';
import { parseDocument } from '../../parse/parse-file.ts';

function summary(file: string, r: ParseResult): string {
  const figures = Object.keys(r.figures).length;
  const failed = r.checks.filter((c) => !c.ok).length;
  const lines = [
    `${file}: ${r.isReport ? 'report' : 'not a report'}${r.isReport ? `, format ${r.format}` : ''}`,
    `  title      ${r.title ?? '—'}`,
    `  year       ${r.year ?? '—'}    published ${r.publishedAt ?? '—'}`,
    `  region     ${r.region.name ?? '—'} ${r.region.code ?? ''}    issuer ${r.issuer ?? '—'}`,
    `  figures    ${figures}    checks ${r.checks.length} (${failed} failed)`,
  ];
  for (const w of r.warnings) lines.push(`  warning    ${w}`);
  return lines.join('\n');
}

/** `nianbao parse <file> [--json]`: exit 0 when the file was read (even if it is not a report). */
export function parseCommand(ctx?: Pick<CommandContext, 'stdout' | 'stderr' | 'exitCode'>): Command {
  const out = ctx?.stdout ?? process.stdout;
  const err = ctx?.stderr ?? process.stderr;
  const fail = (code: number) => {
    if (ctx) ctx.exitCode = code;
    else process.exitCode = code;
  };
  return new Command('parse')
    .description('parse one annual report file (html, txt, pdf, docx, doc, xls) and print what it states')
    .argument('<file>', 'path of the file to parse')
    .option('--json', 'print the ParseResult JSON (the docs/figures.md contract)')
    .option('--body', 'with --json: include the cleaned body text and sections')
    .action(async (file: string, opts: { json?: boolean; body?: boolean }) => {
      let result: ParseResult;
      try {
        const bytes = new Uint8Array(await readFile(file));
        result = await parseDocument(bytes, { filename: basename(file) });
      } catch (e) {
        const x = e as Error & { code?: string };
        const msg = String(x.message).split('\n')[0];
        err.write(`nianbao parse: cannot read ${file}: ${x.code && !msg.startsWith(x.code) ? `${x.code}: ` : ''}${msg}\n`);
        fail(1);
        return;
      }
      if (opts.json) {
        const json: ParseResult = opts.body ? result : { ...result, body: undefined, sections: undefined };
        out.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        out.write(`${summary(file, result)}\n`);
      }
    });
}
