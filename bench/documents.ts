// Document extraction throughput: pages/s for text PDFs (corpus + generated) and DOCX. Each PDF runs
// in a fresh worker thread (the isolation extractDocument guarantees), so the figure includes that cost.
import { readFileSync } from 'node:fs';
import { extractDocument } from '../src/documents/index.ts';
import { renderDocx } from '../src/documents/render/docx.ts';
import { renderPdf } from '../src/documents/render/pdf.ts';
import { templateReport } from '../src/documents/render/template.ts';

const REPORTS = new URL('../test/fixtures/reports/', import.meta.url);

type Input = { name: string; bytes: Uint8Array };

async function measure(
  label: string,
  inputs: Input[],
  rounds: number,
  pagesOf: (i: Input, pages?: number) => number,
): Promise<{ pagesPerSec: number; docsPerSec: number }> {
  let pages = 0,
    docs = 0;
  const t = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      const doc = await extractDocument(input.bytes, { filename: input.name });
      pages += pagesOf(input, doc.pages);
      docs++;
    }
  }
  const secs = (performance.now() - t) / 1000;
  const res = { pagesPerSec: pages / secs, docsPerSec: docs / secs };
  console.log(
    `documents ${label.padEnd(26)} ${String(docs).padStart(3)} docs ${String(pages).padStart(4)} pages  ${res.pagesPerSec.toFixed(1).padStart(7)} pages/s  ${res.docsPerSec.toFixed(2).padStart(6)} docs/s`,
  );
  return res;
}

export async function benchDocuments(opts: { rounds?: number } = {}): Promise<Record<string, { pagesPerSec: number; docsPerSec: number }>> {
  const rounds = opts.rounds ?? 2;
  const out: Record<string, { pagesPerSec: number; docsPerSec: number }> = {};
  const corpus: Input[] = ['03_hongze_2023.pdf', '04_hongze_2024.pdf', '05_huaian_2024.pdf']
    .map((n) => new URL(`corpus/${n}`, REPORTS))
    .map((u) => ({ name: u.pathname.split('/').pop()!, bytes: new Uint8Array(readFileSync(u)) }));
  out.corpusPdf = await measure('corpus PDF', corpus, rounds, (_, p) => p ?? 0);

  const seed = JSON.parse(readFileSync(new URL('seeds/expected/000_142cd551b15b04df.json', REPORTS), 'utf8'));
  const report = templateReport({ title: seed.title, figures: seed.figures, format: seed.format });
  const pdf = await renderPdf(report);
  out.generatedPdf = await measure('generated PDF', [{ name: 'g.pdf', bytes: pdf }], rounds * 2, (_, p) => p ?? 0);
  // DOCX has no pages of its own; count the pages the same report takes as a PDF.
  const pdfPages = (await extractDocument(pdf, { filename: 'g.pdf' })).pages ?? 1;
  const docx = await renderDocx(report);
  out.generatedDocx = await measure('generated DOCX', [{ name: 'g.docx', bytes: docx }], rounds * 5, () => pdfPages);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDocuments();
