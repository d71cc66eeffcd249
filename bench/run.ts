// `npm run bench`: parse throughput next to a baseline measured in the same run on the same inputs
// (cheerio load + text extraction), printed as a ratio; then document extraction throughput.
// Figures, not pass/fail: the target (parsing ≤ 3× the baseline) is read off the printed ratio.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as cheerio from 'cheerio';
import { parseDocument } from '../src/parse/parse-file.ts';
import { createRng } from '../src/sim/random.ts';
import { generateReport, renderHtmlTables } from '../src/sim/reports/index.ts';

interface Input {
  name: string;
  bytes: Uint8Array;
}

const REPORTS = resolve(import.meta.dirname, '../test/fixtures/reports');
const GENERATED = Number(process.env.NIANBAO_BENCH_GENERATED ?? 60);
const MIN_MS = Number(process.env.NIANBAO_BENCH_MS ?? 3000);

function sharedInputs(): Input[] {
  const out: Input[] = [];
  for (const dir of ['seeds', 'corpus']) {
    const folder = join(REPORTS, dir);
    if (!existsSync(folder)) throw new Error(`bench input folder missing: ${folder}`);
    for (const name of readdirSync(folder).sort()) {
      if (/\.(txt|html?)$/.test(name)) out.push({ name: `${dir}/${name}`, bytes: readFileSync(join(folder, name)) });
    }
  }
  return out;
}

function generatedInputs(n: number): Input[] {
  const rng = createRng(20261129);
  const out: Input[] = [];
  for (let i = 0; i < n; i++) {
    const format = (['2019', '2021', 'legacy'] as const)[i % 3];
    const year = format === '2019' ? 2019 + (i % 2) : format === '2021' ? 2021 + (i % 4) : 2012 + (i % 7);
    const model = generateReport({
      rng: rng.fork(`r${i}`),
      format,
      year,
      regionName: '永修县',
      regionCode: '360425',
      issuer: '永修县人民政府',
    });
    const html = `<html><head><meta charset="utf-8"><title>${model.title}</title></head><body><h1>${model.title}</h1>${renderHtmlTables(model, rng.fork(`h${i}`))}</body></html>`;
    out.push({ name: `generated/${i}.html`, bytes: new TextEncoder().encode(html) });
  }
  return out;
}

/** Runs `fn` over all inputs repeatedly for at least MIN_MS; returns documents per second. */
async function throughput(inputs: Input[], fn: (i: Input) => unknown | Promise<unknown>): Promise<number> {
  for (const i of inputs) await fn(i); // warm-up: JIT, opencc dictionaries, region tables
  let docs = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_MS) {
    for (const i of inputs) await fn(i);
    docs += inputs.length;
  }
  return docs / ((performance.now() - start) / 1000);
}

const baseline = (i: Input) => cheerio.load(Buffer.from(i.bytes).toString('utf8')).root().text().length;
const parse = (i: Input) => parseDocument(i.bytes, { filename: i.name });

async function benchParse(label: string, inputs: Input[]) {
  if (!inputs.length) return;
  const base = await throughput(inputs, baseline);
  const ours = await throughput(inputs, parse);
  console.log(
    `parse ${label.padEnd(22)} ${String(inputs.length).padStart(3)} docs  ` +
      `nianbao ${ours.toFixed(1).padStart(8)} reports/s  baseline ${base.toFixed(1).padStart(8)} docs/s  ` +
      `cost ratio ${(base / ours).toFixed(2)}× (target ≤ 3×)`,
  );
}

const shared = sharedInputs();
await benchParse('seeds+corpus (txt/html)', shared);
await benchParse(`generated html (${GENERATED})`, generatedInputs(GENERATED));
await benchParse('all', [...shared, ...generatedInputs(GENERATED)]);

if (existsSync(join(import.meta.dirname, 'documents.ts'))) {
  const { benchDocuments } = await import('./documents.ts');
  await benchDocuments();
}
