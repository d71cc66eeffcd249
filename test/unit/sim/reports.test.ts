import { describe, expect, it } from 'vitest';
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  SUMMARY_KEYS,
  templateKeys,
} from '../../../src/schema/figure-keys.ts';
import { createRng } from '../../../src/sim/random.ts';
import {
  generateReport,
  injectDamage,
  renderCellPerLine,
  renderHtmlTables,
  renderTabText,
  reportDocument,
  reportTables,
  reportTableSpecs,
  type ReportFormat,
  type ReportModel,
  type TableSpec,
} from '../../../src/sim/reports/index.ts';

/** Every grid slot covered exactly once by the spans of a table spec. */
function spanProblems(spec: TableSpec): string[] {
  const taken: boolean[][] = [];
  const out: string[] = [];
  spec.rows.forEach((row, r) => {
    taken[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (taken[r]![c]) c++;
      for (let dr = 0; dr < (cell.rowspan ?? 1); dr++) {
        for (let dc = 0; dc < (cell.colspan ?? 1); dc++) {
          taken[r + dr] ??= [];
          if (taken[r + dr]![c + dc]) out.push(`overlap at ${r + dr},${c + dc}`);
          taken[r + dr]![c + dc] = true;
        }
      }
      c += cell.colspan ?? 1;
    }
  });
  taken.forEach((row, r) => {
    for (let c = 0; c < spec.width; c++) if (!row[c]) out.push(`${spec.id} hole at ${r},${c}`);
    if (row.length > spec.width) out.push(`${spec.id} row ${r} wider than ${spec.width}`);
  });
  return out;
}

const SIX = APPLICANT_COLUMNS.filter((c) => c !== 'total');
const OUTCOMES_2019 = APPLICATION_ROWS_2019.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
const OUTCOMES_2021 = APPLICATION_ROWS_2021.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));

function make(seed: number, format: ReportFormat, blankRate = 0, issuer = '永修县人民政府'): ReportModel {
  return generateReport({
    rng: createRng(seed),
    format,
    year: format === '2021' ? 2022 : format === '2019' ? 2020 : 2016,
    regionName: '永修县',
    regionCode: '360425',
    issuer,
    blankRate,
  });
}

/** Every identity of docs/report-formats.md §4, evaluated on the printed figures with blank as 0. */
function identityFailures(m: ReportModel): string[] {
  const f = (k: string) => m.figures[k] ?? (m.blankKeys.includes(k) ? 0 : NaN);
  const bad: string[] = [];
  const outcomes = m.format === '2019' ? OUTCOMES_2019 : OUTCOMES_2021;
  const rows = m.format === '2019' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021;
  for (const c of APPLICANT_COLUMNS) {
    const a = (r: string) => f(`applications.${r}.${c}`);
    if (a('new') + a('carried_over') !== a('total') + a('carried_forward')) bad.push(`balance.${c}`);
    if (outcomes.reduce((s, r) => s + a(r), 0) !== a('total')) bad.push(`total_rows.${c}`);
  }
  for (const r of rows) {
    if (SIX.reduce((s, c) => s + f(`applications.${r}.${c}`), 0) !== f(`applications.${r}.total`)) bad.push(`total_col.${r}`);
  }
  for (const g of REVIEW_GROUPS) {
    if (f(`${g}.upheld`) + f(`${g}.corrected`) + f(`${g}.other`) + f(`${g}.pending`) !== f(`${g}.total`)) bad.push(g);
  }
  return bad;
}

describe('generateReport', () => {
  it('satisfies every identity for many seeds, formats and issuers', () => {
    for (let seed = 1; seed <= 150; seed++) {
      for (const format of ['2019', '2021'] as const) {
        const issuer = seed % 3 === 0 ? '永修县教育体育局' : seed % 3 === 1 ? '永修县人民政府' : '虬津镇人民政府';
        const m = make(seed, format, seed % 4 === 0 ? 0.4 : 0, issuer);
        expect(identityFailures(m), `seed ${seed} ${format}`).toEqual([]);
        const printed = new Set([...Object.keys(m.figures), ...m.blankKeys]);
        expect([...printed].sort()).toEqual([...templateKeys(format)].sort());
        for (const v of Object.values(m.figures)) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('is skewed like real reports: natural persons dominate and most cells are 0', () => {
    let natural = 0,
      orgs = 0,
      zeros = 0,
      cells = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const m = make(seed, '2021');
      natural += m.figures['applications.new.natural']!;
      for (const c of SIX.filter((c) => c !== 'natural')) orgs += m.figures[`applications.new.${c}`]!;
      for (const [k, v] of Object.entries(m.figures))
        if (k.startsWith('applications.')) {
          cells++;
          if (v === 0) zeros++;
        }
    }
    expect(natural).toBeGreaterThan(3 * orgs);
    expect(zeros / cells).toBeGreaterThan(0.6);
  });

  it('blanks only zero summands, never totals', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const m = make(seed, '2019', 0.5);
      for (const k of m.blankKeys) {
        expect(m.values[k]).toBe(0);
        expect(k.endsWith('.total') || k.startsWith('applications.total.')).toBe(false);
      }
    }
  });

  it('legacy reports carry summary.* figures, each stated in the prose', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const m = make(seed, 'legacy');
      expect(Object.keys(m.figures).sort()).toEqual([...SUMMARY_KEYS].sort());
      const text = renderCellPerLine(m);
      expect(text).toContain(`主动公开政府信息${m.figures['summary.active_items']}条`);
      expect(text).toContain('统计期限');
      expect(reportTables(m)).toEqual([]);
    }
  });

  it('is deterministic for a seed', () => {
    expect(make(42, '2021')).toEqual(make(42, '2021'));
    expect(make(42, '2021').figures).not.toEqual(make(43, '2021').figures);
  });
});

describe('renderers', () => {
  it('tables have the template grid widths and carry every printed value in order', () => {
    const m = make(9, '2021');
    const [active, apps, review] = reportTables(m);
    expect(active!.every((r) => r.length === 4)).toBe(true);
    expect(apps!.every((r) => r.length === 10)).toBe(true);
    expect(apps!.length).toBe(3 + 2 + 22 + 1);
    expect(review!.length).toBe(4);
    expect(review![3]!.map(Number)).toEqual(
      REVIEW_GROUPS.flatMap((g) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((s) => m.figures[`${g}.${s}`])),
    );
    const totalRow = apps!.find((r) => r.includes('（七）总计'))!;
    expect(totalRow.slice(3).map(Number)).toEqual(APPLICANT_COLUMNS.map((c) => m.figures[`applications.total.${c}`]));
    expect(make(9, '2019') && reportTables(make(9, '2019'))[1]!.length).toBe(3 + 2 + 20 + 1);
  });

  it('tab text has one line per table row with the 7 values of each application row', () => {
    const m = make(11, '2019');
    const lines = renderTabText(m).split('\n');
    const granted = lines.find((l) => l.includes('予以公开'))!.split('\t');
    expect(granted.slice(-7).map(Number)).toEqual(APPLICANT_COLUMNS.map((c) => m.figures[`applications.granted.${c}`]));
    expect(lines.some((l) => l.includes('统计期限'))).toBe(true);
  });

  it('HTML keeps the template spans', () => {
    const html = renderHtmlTables(make(12, '2021'), createRng(1));
    expect(html).toContain('rowspan="22"');
    expect(html).toMatch(/colspan="3"[^>]*>(?:<[^>]+>)*（本列数据的勾稽关系为/);
    expect((html.match(/<table/g) ?? []).length).toBe(3);
  });

  it('reportDocument orders paragraphs and tables', () => {
    const d = reportDocument(make(13, '2019'));
    expect(d.tables.length).toBe(3);
    expect(d.blocks.filter((b) => b.kind === 'table').map((b) => (b as { index: number }).index)).toEqual([0, 1, 2]);
    expect(d.paragraphs[0]).toContain('条例');
  });

  it('table specs cover their grids exactly, in every layout variant', () => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const format of ['2019', '2021'] as const) {
        const m = generateReport({
          rng: createRng(seed),
          format,
          year: 2022,
          regionName: '永修县',
          regionCode: '360425',
          issuer: '永修县人民政府',
          variants: { subtotalRows: 0.5, orgSubtotalColumn: 0.5 },
        });
        for (const spec of reportTableSpecs(m)) expect(spanProblems(spec)).toEqual([]);
      }
    }
  });

  it('variant 小计 rows and 法人 小计 column print the sums and add no figure keys', () => {
    const m = generateReport({
      rng: createRng(21),
      format: '2021',
      year: 2022,
      regionName: '永修县',
      regionCode: '360425',
      issuer: '永修县人民政府',
      variants: { subtotalRows: 1, orgSubtotalColumn: 1 },
    });
    expect(m.style.subtotalRows && m.style.orgSubtotalColumn).toBe(true);
    expect([...Object.keys(m.figures)].sort()).toEqual([...templateKeys('2021')].sort());
    const grid = reportTables(m)[1]!;
    expect(grid[0]!.length).toBe(11);
    const ORG = ['commercial', 'research', 'ngo', 'legal', 'other_org'];
    const row = (r: string) => ORG.reduce((a, c) => a + m.figures[`applications.${r}.${c}`]!, 0);
    const granted = grid.find((r) => r.includes('（一）予以公开'))!;
    expect(Number(granted[9])).toBe(row('granted'));
    const subtotals = grid.filter((r) => r.includes('小计') && r.indexOf('小计') === 2);
    expect(subtotals.length).toBe(4);
    const unable = ['unable_not_held', 'unable_create', 'unable_unclear'];
    expect(Number(subtotals[1]![3])).toBe(unable.reduce((a, r) => a + m.figures[`applications.${r}.natural`]!, 0));
    expect(Number(subtotals[1]![10])).toBe(unable.reduce((a, r) => a + m.figures[`applications.${r}.total`]!, 0));
  });

  it('damage: Traditional with pinyin debris and split numbers', () => {
    const text = '索引号：12345\n发布机构：东湖区人社局\n本年新收政府信息公开申请数量\t8208';
    const out = injectDamage(text, createRng(3), ['traditional', 'pinyin', 'split_numbers']);
    expect(out).toMatch(/號(\(hào\))?/);
    expect(out).toContain('區');
    expect(out).toMatch(/\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)/);
    const splitAll = injectDamage('12345 67890 11111 22222 33333 44444', createRng(8), ['split_numbers']);
    expect(splitAll).not.toBe('12345 67890 11111 22222 33333 44444');
    expect(splitAll.replace(/ /g, '')).toBe('123456789011111222223333344444');
  });
});
