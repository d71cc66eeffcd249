import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalPassed, findExpectedFiles, loadCase, scoreParse, emptyTotals, addScore } from '../../../src/eval/index.ts';
import type { ParseResult } from '../../../src/schema/parse-result.ts';
import { runCli, tmpDir } from '../workers/helpers.ts';

const result = (over: Partial<ParseResult>): ParseResult => ({
  isReport: true,
  title: null,
  year: 2023,
  region: { name: null, code: '360425' },
  issuer: null,
  publishedAt: null,
  format: '2021',
  figures: {},
  checks: [],
  warnings: [],
  ...over,
});

describe('scoreParse', () => {
  it('counts right, wrong, missing and extra cells, metadata and required warnings', () => {
    const s = scoreParse(
      { source: 'r.txt', year: 2023, region: { code: '360425' }, format: '2019', mustWarn: true, figures: { a: 1, b: 2, c: 3 } },
      result({ figures: { a: 1, b: 5, d: 0 } }),
    );
    expect({
      cells: s.cells,
      right: s.right,
      wrong: s.wrong,
      missing: s.missing,
      extra: s.extra,
      meta: s.meta,
      metaRight: s.metaRight,
      warningAbsent: s.warningAbsent,
    }).toEqual({
      cells: 3,
      right: 1,
      wrong: 1,
      missing: 1,
      extra: 1,
      meta: 3,
      metaRight: 2,
      warningAbsent: true,
    });
    expect([...s.problems].sort()).toEqual(
      [
        'format: want "2019" got "2021"',
        'c: missing (want 3)',
        'b: want 2 got 5',
        'd: not in expected (got 0)',
        'mustWarn: no warning given',
      ].sort(),
    );
    expect(s.extraKeys).toEqual(['d']);
  });

  it('passes a run with extra cells only, fails one with a wrong cell', () => {
    const t = emptyTotals();
    addScore(t, scoreParse({ source: 'x', figures: { a: 1 } }, result({ figures: { a: 1, z: 0 } })));
    expect(evalPassed(t)).toBe(true);
    expect(t.exact).toBe(0);
    addScore(t, scoreParse({ source: 'x', figures: { a: 1 } }, result({ figures: { a: 2 } })));
    expect(evalPassed(t)).toBe(false);
  });
});

describe('expected files', () => {
  const tmp = tmpDir('nianbao-eval-');
  afterAll(() => tmp.cleanup());

  it('reads both layouts and names a file whose source is missing', () => {
    const a = path.join(tmp.dir, 'a');
    mkdirSync(path.join(a, 'expected'), { recursive: true });
    writeFileSync(path.join(a, 'one.txt'), 'x');
    writeFileSync(path.join(a, 'expected', 'one.json'), JSON.stringify({ source: 'one.txt' }));
    writeFileSync(path.join(a, 'two.expected.json'), JSON.stringify({ source: 'two.txt' }));
    const files = findExpectedFiles([a]);
    expect(files.map((f) => path.relative(a, f))).toEqual(['expected/one.json', 'two.expected.json']);
    expect(loadCase(files[0]!).sourcePath).toBe(path.join(a, 'one.txt'));
    expect(() => loadCase(files[1]!)).toThrow(/two\.expected\.json: its source "two\.txt"/);
  });
});

describe('nianbao eval', () => {
  const tmp = tmpDir('nianbao-eval-cli-');
  afterAll(() => tmp.cleanup());
  const report = ['某某县2023年政府信息公开工作年度报告', '本年度，某某县人民政府主动公开政府信息120条。'].join('\n');

  it('prints one line per report and the totals, exit 1 when a stated cell is wrong', async () => {
    const dir = path.join(tmp.dir, 'set');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'r.txt'), report);
    // The parser's own output is not the oracle: the expected value is what the text states, and a deliberately
    // wrong expected file must make the run fail.
    writeFileSync(
      path.join(dir, 'r.expected.json'),
      JSON.stringify({ source: 'r.txt', year: 2023, figures: { 'summary.active_items': 120 } }),
    );
    const ok = await runCli('eval', dir);
    expect(ok.out).toMatch(/^OK {4}r\.txt {2}1\/1 cells$/m);
    expect(ok.out).toMatch(/^reports exact 1\/1 \(100\.0%\)$/m);
    expect(ok.code).toBe(0);

    writeFileSync(
      path.join(dir, 'r.expected.json'),
      JSON.stringify({ source: 'r.txt', year: 2022, figures: { 'summary.active_items': 121 } }),
    );
    const bad = await runCli('eval', '--verbose', dir);
    expect(bad.out).toMatch(/^DIFF {2}r\.txt/m);
    expect(bad.out).toContain('year: want 2022 got 2023');
    expect(bad.out).toContain('summary.active_items: want 121 got 120');
    expect(bad.out).toMatch(/metadata right 0\/1/);
    expect(bad.code).toBe(1);
  });

  it('refuses a folder without expected files, naming it', async () => {
    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(empty);
    const r = await runCli('eval', empty);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`no expected files in ${empty}`);
    const missing = await runCli('eval', path.join(tmp.dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope: not a folder/);
  });
});
