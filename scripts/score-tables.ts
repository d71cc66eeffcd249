// Dev scorer for the table reader alone: runs readTables over every seed/corpus input and diffs the table keys
// (active.*, applications.*, review.*, litigation_*) against the expected files.
// Usage: npx tsx scripts/score-tables.ts [--verbose] [--pdftotext] [--dump NAME]
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { readTables } from '../src/parse/tables/index.ts';
import { normaliseText } from '../src/parse/normalise.ts';
import { htmlToBody } from '../src/parse/html-to-body.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const usePdftotext = args.includes('--pdftotext');
const dump = args.includes('--dump') ? args[args.indexOf('--dump') + 1] : null;
const root = join(dirname(new URL(import.meta.url).pathname), '..', 'test', 'fixtures', 'reports');
const isTableKey = (k: string) => /^(active|applications|review|litigation_direct|litigation_after_review)\./.test(k);

async function bodyOf(path: string): Promise<string> {
  const bytes = readFileSync(path);
  if (path.endsWith('.html')) return htmlToBody(bytes.toString('utf8')).body;
  if (path.endsWith('.pdf')) {
    if (usePdftotext) return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const { extractDocument } = await import('../src/documents/index.ts');
    return (await extractDocument(new Uint8Array(bytes), { filename: path })).body;
  }
  return bytes.toString('utf8');
}

const expected: Array<[string, string]> = [];
for (const n of readdirSync(join(root, 'seeds', 'expected'))) expected.push([join(root, 'seeds', 'expected', n), join(root, 'seeds')]);
for (const n of readdirSync(join(root, 'corpus')))
  if (n.endsWith('.expected.json')) expected.push([join(root, 'corpus', n), join(root, 'corpus')]);

const tot = { cells: 0, right: 0, wrong: 0, missing: 0, extra: 0, exact: 0, reports: 0 };
for (const [expPath, dir] of expected.sort()) {
  const exp = JSON.parse(readFileSync(expPath, 'utf8'));
  const src = join(dir, exp.source);
  if (!existsSync(src)) continue;
  if (dump && !exp.source.includes(dump)) continue;
  tot.reports++;
  const body = normaliseText(await bodyOf(src)).text;
  if (dump) console.log(body);
  const res = readTables(body);
  const want = Object.fromEntries(Object.entries(exp.figures as Record<string, number>).filter(([k]) => isTableKey(k)));
  const problems: string[] = [];
  let right = 0;
  for (const [k, v] of Object.entries(want)) {
    tot.cells++;
    if (!(k in res.figures)) {
      tot.missing++;
      problems.push(`${k}: missing (want ${v})`);
    } else if (res.figures[k] !== v) {
      tot.wrong++;
      problems.push(`${k}: want ${v} got ${res.figures[k]}`);
    } else {
      tot.right++;
      right++;
    }
  }
  for (const k of Object.keys(res.figures))
    if (!(k in want)) {
      tot.extra++;
      problems.push(`${k}: extra (got ${res.figures[k]})`);
    }
  if (exp.format && ['2019', '2021'].includes(exp.format) && res.format !== exp.format)
    problems.push(`format: want ${exp.format} got ${res.format}`);
  if (!problems.length) tot.exact++;
  console.log(
    `${problems.length ? 'DIFF' : 'OK  '} ${exp.source}  ${right}/${Object.keys(want).length}  format=${res.format} warnings=${res.warnings.length} checks=${res.checks.length} failed=${res.checks.filter((c) => !c.ok).length}`,
  );
  if (verbose) {
    for (const p of problems.slice(0, 40)) console.log(`      ${p}`);
    for (const w of res.warnings) console.log(`      ~ ${w.slice(0, 300)}`);
  }
}
console.log(
  `\ncells right ${tot.right}/${tot.cells}, wrong ${tot.wrong}, missing ${tot.missing}, extra ${tot.extra}; exact ${tot.exact}/${tot.reports}`,
);
