// Generated reports (random consistent figures, every input shape, known damage) parsed back: every template
// cell must come out exact or be absent with a warning. A wrong number without a warning fails the test.
import { describe, expect, it } from 'vitest';
import { readTables } from '../../../src/parse/tables/index.ts';
import { normaliseText } from '../../../src/parse/normalise.ts';
import { templateKeys } from '../../../src/schema/figure-keys.ts';
import { generateReport, type Shape } from './generate-report.ts';

const CASES = Number(process.env.NIANBAO_GEN_CASES ?? 300);
const SHAPES: Shape[] = ['tab', 'cell-per-line', 'markdown', 'spaces'];
// Large NIANBAO_GEN_CASES runs take minutes on a shared 2-core machine.
const TIMEOUT = 60_000 + CASES * 150;

function score(seed: number, opts?: Parameters<typeof generateReport>[1]) {
  const rep = generateReport(seed, opts);
  const res = readTables(normaliseText(rep.body).text);
  const template = templateKeys(rep.format);
  const wrong: string[] = [];
  let recovered = 0;
  let flagged = 0;
  for (const key of template) {
    if (key in res.figures) {
      if (res.figures[key] === rep.truth[key]) recovered++;
      else wrong.push(`${key}: got ${res.figures[key]} want ${rep.truth[key] ?? '(absent)'}`);
    } else if (res.warnings.length > 0) flagged++;
    else wrong.push(`${key}: absent without a warning`);
  }
  for (const key of Object.keys(res.figures)) if (!template.includes(key)) wrong.push(`${key}: not a ${rep.format} key`);
  return { rep, res, wrong, recovered, flagged, cells: template.length };
}

describe('generated reports', () => {
  it.each(SHAPES.flatMap((shape) => (['2019', '2021'] as const).map((format) => [shape, format] as const)))(
    'a clean %s table in the %s format is read exactly, with every check passing',
    (shape, format) => {
      const s = score(7, { shape, format, damage: [] });
      expect(s.wrong).toEqual([]);
      expect(s.recovered).toBe(s.cells);
      expect(s.res.format).toBe(format);
      expect(s.res.checks.every((c) => c.ok)).toBe(true);
    },
  );

  const HARMLESS = [
    'traditional',
    'pinyin',
    'split-number',
    'ocr',
    'page-break',
    'wrapped-label',
    'subtotals',
    'review-transposed',
  ] as const;
  it.each(SHAPES.flatMap((shape) => HARMLESS.map((d) => [d, shape] as const)))('damage %s in %s text loses nothing', (damage, shape) => {
    for (const format of ['2019', '2021'] as const) {
      const s = score(11, { shape, format, damage: [damage] });
      expect(s.wrong).toEqual([]);
      expect(s.recovered).toBe(s.cells);
      if (damage === 'subtotals') {
        const sub = s.res.checks.filter((c) => /_subtotal\./.test(c.rule));
        expect(sub).toHaveLength(21);
        expect(sub.every((c) => c.ok)).toBe(true);
      }
    }
  });

  it(
    `${CASES} damaged reports: zero wrong numbers; every absent cell flagged`,
    () => {
      let recovered = 0;
      let flagged = 0;
      let cells = 0;
      const failures: string[] = [];
      const byShape: Record<string, { recovered: number; cells: number }> = {};
      for (let seed = 1; seed <= CASES; seed++) {
        const s = score(seed);
        recovered += s.recovered;
        flagged += s.flagged;
        cells += s.cells;
        const b = (byShape[s.rep.shape] ??= { recovered: 0, cells: 0 });
        b.recovered += s.recovered;
        b.cells += s.cells;
        if (s.wrong.length)
          failures.push(`seed ${seed} (${s.rep.format} ${s.rep.shape} ${s.rep.damage.join('+')}): ${s.wrong.slice(0, 3).join('; ')}`);
      }
      const pct = (a: number) => ((100 * a) / cells).toFixed(1);
      console.log(
        `generative: ${CASES} reports, ${cells} template cells: recovered ${recovered} (${pct(recovered)}%), ` +
          `absent+flagged ${flagged} (${pct(flagged)}%), wrong ${cells - recovered - flagged}; by shape ` +
          Object.entries(byShape)
            .map(([k, v]) => `${k} ${((100 * v.recovered) / v.cells).toFixed(1)}%`)
            .join(', '),
      );
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );
});

// The simulated web's own report model (src/sim/reports) through its renderers: HTML with real rowspan/colspan
// (via htmlToBody), tab text, one cell per line, each with its damage kinds.
describe('simulated-web reports', () => {
  it(
    `${Math.ceil(CASES / 2)} sim reports through HTML, tab and cell-per-line renderers: zero wrong numbers`,
    async () => {
      const { createRng } = await import('../../../src/sim/random.ts');
      const sim = await import('../../../src/sim/reports/index.ts');
      const { htmlToBody } = await import('../../../src/parse/html-to-body.ts');
      let recovered = 0;
      let flagged = 0;
      let cells = 0;
      const failures: string[] = [];
      const byShape: Record<string, { recovered: number; cells: number }> = {};
      for (let seed = 1; seed <= Math.ceil(CASES / 2); seed++) {
        const rng = createRng(`tables-${seed}`);
        const format = rng.chance(0.5) ? '2019' : '2021';
        const m = sim.generateReport({
          rng: rng.fork('model'),
          format,
          year: format === '2019' ? 2020 : 2023,
          regionName: '永修县',
          regionCode: '360425',
          issuer: '永修县人民政府',
          blankRate: rng.pick([0, 0, 0.2]),
        });
        const shape = rng.pick(['html', 'tab', 'cell-per-line'] as const);
        const kinds = sim.DAMAGE_KINDS.filter(() => rng.chance(0.25));
        let text =
          shape === 'html'
            ? htmlToBody(sim.renderHtmlTables(m, rng.fork('html'))).body
            : shape === 'tab'
              ? sim.renderTabText(m)
              : sim.renderCellPerLine(m);
        text = sim.injectDamage(text, rng.fork('damage'), kinds);
        const res = readTables(normaliseText(text).text);
        const template = templateKeys(format);
        const wrong: string[] = [];
        let rec = 0;
        for (const key of template) {
          if (key in res.figures) {
            if (res.figures[key] === m.figures[key]) rec++;
            else wrong.push(`${key}: got ${res.figures[key]} want ${m.figures[key] ?? '(blank)'}`);
          } else if (res.warnings.length) flagged++;
          else wrong.push(`${key}: absent without a warning`);
        }
        recovered += rec;
        cells += template.length;
        const b = (byShape[shape] ??= { recovered: 0, cells: 0 });
        b.recovered += rec;
        b.cells += template.length;
        if (wrong.length) failures.push(`seed ${seed} (${format} ${shape} ${kinds.join('+')}): ${wrong.slice(0, 3).join('; ')}`);
      }
      const pct = (a: number) => ((100 * a) / cells).toFixed(1);
      console.log(
        `sim reports: ${Math.ceil(CASES / 2)} reports, ${cells} template cells: recovered ${recovered} (${pct(recovered)}%), ` +
          `absent+flagged ${flagged} (${pct(flagged)}%); by shape ` +
          Object.entries(byShape)
            .map(([k, v]) => `${k} ${((100 * v.recovered) / v.cells).toFixed(1)}%`)
            .join(', '),
      );
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );
});

// Issue 11's shapes through the real entry points: a text archive's one-line copy (parseReport), an article split over
// pages (parseDocumentPages), a borderless PDF text layer (layoutDocument, then parseReport). A wrong number is allowed
// only with a warning that names its key (or its row, `applications.new.*`); an absent cell needs a warning.
describe('issue-11 shapes', () => {
  const named = (key: string, warnings: string[]) => {
    const row = `${key.replace(/\.[^.]+$/, '')}.*`;
    return warnings.some((w) => w.includes(key) || w.includes(row));
  };

  it(
    `${CASES} reports as collapsed text, split pages and borderless PDF rows: no unnamed wrong number`,
    async () => {
      const { generateShapeCase, NEW_SHAPES } = await import('./generate-shapes.ts');
      const { parseReport } = await import('../../../src/parse/parse-report.ts');
      const { parseDocumentPages } = await import('../../../src/parse/parse-file.ts');
      const { layoutDocument } = await import('../../../src/documents/layout.ts');
      const failures: string[] = [];
      const byShape: Record<string, { recovered: number; cells: number; named: number; flagged: number }> = {};
      for (let seed = 1; seed <= CASES; seed++) {
        const c = generateShapeCase(seed, { shape: NEW_SHAPES[seed % NEW_SHAPES.length] });
        const res =
          c.shape === 'collapsed'
            ? parseReport({ body: c.collapsed!, kind: 'text' })
            : c.shape === 'pages'
              ? await parseDocumentPages(
                  c.pages!.map((html, k) => ({
                    bytes: new TextEncoder().encode(html),
                    url: `http://www.yongxiu.gov.cn/zwgk/t${seed}${k ? `_${k + 1}` : ''}.html`,
                    contentType: 'text/html',
                  })),
                )
              : parseReport({ body: layoutDocument(c.geometry!), kind: 'pdf' });
        const template = templateKeys(c.format);
        const b = (byShape[c.shape] ??= { recovered: 0, cells: 0, named: 0, flagged: 0 });
        const wrong: string[] = [];
        for (const key of template) {
          b.cells++;
          if (key in res.figures) {
            if (res.figures[key] === c.truth[key]) b.recovered++;
            else if (named(key, res.warnings)) b.named++;
            else wrong.push(`${key}: got ${res.figures[key]} want ${c.truth[key] ?? '(absent)'}`);
          } else if (res.warnings.length) b.flagged++;
          else wrong.push(`${key}: absent without a warning`);
        }
        for (const key of Object.keys(res.figures))
          if (!template.includes(key) && !key.startsWith('summary.')) wrong.push(`${key}: not a ${c.format} key`);
        if (wrong.length) failures.push(`seed ${seed} (${c.format} ${c.shape} ${c.damage.join('+')}): ${wrong.slice(0, 3).join('; ')}`);
      }
      console.log(
        `issue-11 shapes: ${CASES} reports; recovery by shape ` +
          Object.entries(byShape)
            .map(
              ([k, v]) =>
                `${k} ${((100 * v.recovered) / v.cells).toFixed(1)}% (${v.recovered}/${v.cells}; wrong but named ${v.named}, absent+flagged ${v.flagged})`,
            )
            .join(', '),
      );
      expect(failures).toEqual([]);
    },
    TIMEOUT * 2,
  );
});
