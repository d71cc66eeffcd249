// Renders a report to real documents: PDF (ruled tables), DOCX (<w:tbl>) and a scanned image-only PDF.
// Documents are generated, never committed. Usage:
//   npx tsx scripts/make-documents.ts [--out DIR] [--figures FILE.json] [--format 2019|2021] [--no-scan]
// FILE.json is any file with {title?, format?, figures} (seeds/expected/*.json, corpus/*.expected.json).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderDocx } from '../src/documents/render/docx.ts';
import { renderPdf } from '../src/documents/render/pdf.ts';
import { renderScan } from '../src/documents/render/scan.ts';
import { templateReport } from '../src/documents/render/template.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const out = resolve(arg('out') ?? 'out/documents');
  const figuresFile = resolve(
    arg('figures') ?? new URL('../test/fixtures/reports/seeds/expected/000_142cd551b15b04df.json', import.meta.url).pathname,
  );
  const src = JSON.parse(readFileSync(figuresFile, 'utf8')) as { title?: string; format?: string; figures: Record<string, number> };
  const format = (arg('format') ?? (src.format === '2019' ? '2019' : '2021')) as '2019' | '2021';
  const report = templateReport({ title: src.title ?? '某县政府信息公开工作年度报告', figures: src.figures, format });
  mkdirSync(out, { recursive: true });
  const files: [string, Buffer][] = [
    ['report.pdf', await renderPdf(report)],
    ['report.docx', await renderDocx(report)],
  ];
  if (!process.argv.includes('--no-scan')) files.push(['report-scan.pdf', await renderScan(report)]);
  for (const [name, bytes] of files) {
    writeFileSync(join(out, name), bytes);
    console.log(`${join(out, name)}\t${bytes.length} bytes`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
