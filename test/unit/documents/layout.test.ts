// Pure layout rules on hand-made geometry: ruled grids, merged cells, page-split rows, gap-split lines.
import { describe, expect, it } from 'vitest';
import { layoutDocument, tidyCell, UNREAD_CELL, type PageGeometry, type Segment, type TextItem } from '../../../src/documents/layout.ts';
import { sniffDocument } from '../../../src/documents/sniff.ts';
import { tabStreamToRows } from '../../../src/documents/doc.ts';
import { cleanOcrToken, joinDigitRuns } from '../../../src/documents/ocr.ts';

const t = (s: string, x: number, y: number, h = 10): TextItem => ({ s, x, y, w: s.length * h * (/[\u4e00-\u9fff]/.test(s) ? 1 : 0.5), h });
/** Rules of a grid with column edges xs and row edges ys; `skipV` removes vertical pieces [x, rowIndex]. */
function grid(xs: number[], ys: number[], skipV: [number, number][] = [], skipH: [number, number][] = []): Segment[] {
  const segs: Segment[] = [];
  ys.forEach((y, r) =>
    xs.slice(0, -1).forEach((x, c) => {
      if (!skipH.some(([sr, sc]) => sr === r && sc === c)) segs.push([x, y, xs[c + 1], y]);
    }),
  );
  xs.forEach((x, c) =>
    ys.slice(0, -1).forEach((y, r) => {
      if (!skipV.some(([sc, sr]) => sc === c && sr === r)) segs.push([x, y, x, ys[r + 1]]);
    }),
  );
  return segs;
}
const page = (items: TextItem[], segs: Segment[] = []): PageGeometry => ({ width: 600, height: 800, items, segs });

describe('layout', () => {
  it('ruled grid: empty cells kept, wrapped label joined into its cell', () => {
    const xs = [50, 200, 250, 300, 350],
      ys = [100, 140, 170];
    const body = layoutDocument([
      page(
        [
          t('（二）部分公开（区分处理的', 55, 115),
          t('只计这一情形）', 55, 130),
          t('4', 220, 122),
          t('9', 320, 122),
          t('（七）总计', 55, 160),
          t('21', 215, 160),
          t('0', 270, 160),
          t('21', 315, 160),
        ],
        grid(xs, ys),
      ),
    ]);
    expect(body.split('\n')).toEqual(['（二）部分公开（区分处理的只计这一情形）\t4\t\t9', '（七）总计\t21\t0\t21']);
  });

  it('merged cells: colspan omitted, rowspan continuation is one empty field', () => {
    const xs = [50, 100, 200, 250, 300],
      ys = [100, 130, 160, 190];
    // Column 0 spans rows 1-2 (no rule between them); row 0 spans columns 0-1.
    const segs = grid(xs, ys, [[1, 0]], [[2, 0]]);
    const body = layoutDocument([
      page(
        [
          t('一、本年新收', 55, 120),
          t('3', 220, 120),
          t('4', 270, 120),
          t('三、', 55, 165),
          t('（一）予以公开', 105, 150),
          t('1', 220, 150),
          t('2', 270, 150),
          t('（二）部分公开', 105, 180),
          t('5', 220, 180),
          t('6', 270, 180),
        ],
        segs,
      ),
    ]);
    expect(body.split('\n')).toEqual(['一、本年新收\t3\t4', '三、\t（一）予以公开\t1\t2', '\t（二）部分公开\t5\t6']);
  });

  it('a row cut by a page break (no closing rule) still belongs to the table', () => {
    const xs = [50, 200, 250],
      ys = [100, 130];
    const segs: Segment[] = [...grid(xs, ys), [50, 130, 50, 160], [200, 130, 200, 160], [250, 130, 250, 160]];
    const body = layoutDocument([page([t('规章', 55, 120), t('3', 220, 120), t('行政规范性文件', 55, 150), t('8', 220, 150)], segs)]);
    expect(body.split('\n')).toEqual(['规章\t3', '行政规范性文件\t8']);
  });

  it('unruled text: wide gaps split cells, letter-spaced CJK joins, prose lines join into paragraphs', () => {
    const lines: TextItem[] = [
      t('信 息 内 容', 50, 100),
      t('本年制发件数', 200, 100),
      t('　　本报告由某县人民政府办公室根据条例规定编制本报告由某县', 50, 130),
      t('人民政府办公室负责解释。', 50, 145),
    ];
    lines[2].w = 500; // runs to the right margin
    const body = layoutDocument([page(lines)]);
    expect(body.split('\n')).toEqual([
      '信息内容\t本年制发件数',
      '本报告由某县人民政府办公室根据条例规定编制本报告由某县人民政府办公室负责解释。',
    ]);
  });

  it('page numbers at the foot are dropped, numbers in the body are kept', () => {
    const body = layoutDocument([page([t('正文', 50, 100), t('12', 300, 400), t('- 3 -', 280, 780)])]);
    expect(body).not.toMatch(/- 3 -/);
    expect(body).toContain('12');
  });

  it('tidyCell removes spaces between ideographs only', () => {
    expect(tidyCell('商 业 企 业')).toBe('商业企业');
    expect(tidyCell('8208. 93 万元')).toBe('8208. 93 万元');
  });
});

describe('sniff', () => {
  it('magic bytes beat names; names are the fallback', () => {
    expect(sniffDocument(Buffer.from('%PDF-1.7 ...'), { filename: 'a.doc' }).kind).toBe('pdf');
    expect(sniffDocument(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), { filename: 'a.pdf' })).toEqual({ kind: 'image', imageType: 'png' });
    expect(sniffDocument(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), {}).kind).toBe('image');
    expect(sniffDocument(Buffer.from('Rar!\x1a\x07\x00', 'latin1'), { filename: 'a.pdf' }).kind).toBe('rar');
    expect(sniffDocument(Buffer.from('<html><body>x</body></html>'), { filename: 'a.pdf' }).kind).toBe('html');
    expect(sniffDocument(Buffer.from([1, 2, 3, 0, 5, 6, 7, 8]), { filename: 'report.xlsx' }).kind).toBe('xlsx');
  });
});

describe('Word binary tab stream', () => {
  it('row ends are told from empty cells by what follows', () => {
    // Word marks cell ends and row ends alike; word-extractor renders both as \t.
    const stream = '标题\n信息内容\t本年制发件数\t\t规章\t3\t\t行政规范性文件\t\t\t（一）予以公开\t1\t\t2\t\t\n结尾';
    expect(tabStreamToRows(stream)).toEqual([
      '标题',
      '信息内容\t本年制发件数',
      '规章\t3',
      '行政规范性文件',
      '\t（一）予以公开\t1\t\t2',
      '结尾',
    ]);
  });
});

describe('OCR token clean-up', () => {
  it('digit look-alikes in numeric tokens only', () => {
    expect(cleanOcrToken('o')).toBe('0');
    expect(cleanOcrToken('“0')).toBe('0');
    expect(cleanOcrToken('1O5')).toBe('105');
    expect(cleanOcrToken('办理结果')).toBe('办理结果');
    expect(cleanOcrToken('Hello')).toBe('Hello');
  });
  it('numeric words of one cell close together are one number', () => {
    const items: TextItem[] = [
      { s: '311', x: 0, y: 20, w: 30, h: 20 },
      { s: '9', x: 34, y: 20, w: 10, h: 20 },
    ];
    expect(joinDigitRuns(items).map((i) => i.s)).toEqual(['3119']);
    const far: TextItem[] = [
      { s: '1', x: 0, y: 20, w: 10, h: 20 },
      { s: '0', x: 60, y: 20, w: 10, h: 20 },
    ];
    expect(joinDigitRuns(far).map((i) => i.s)).toEqual(['1', '0']);
  });
});

// A borderless table 三 as a PDF text layer gives it (geometry made for this test): no ruling lines, headers wrapped
// over two lines, blank cells left empty, labels wrapped with the numbers on the middle or the last line.
describe('borderless tables: columns from the header', () => {
  const X = [280, 350, 420, 490, 560, 630, 700]; // value column centres, 70 apart
  const num = (v: string, k: number, y: number) => t(v, X[k] - (v.length * 5) / 2, y);
  const header: TextItem[] = [
    t('（本列数据的勾稽关系为：第一项加第二项', 50, 100),
    t('申请人情况', 460, 100),
    t('之和，等于第三项加第四项之和）', 50, 115),
    t('自然人', 265, 115),
    t('法人或其他组织', 455, 115),
    t('总计', 690, 115),
    t('商业', 340, 130),
    t('科研', 410, 130),
    t('社会公', 475, 130),
    t('法律服', 545, 130),
    t('其他', 620, 130),
    t('企业', 340, 145),
    t('机构', 410, 145),
    t('益组织', 475, 145),
    t('务机构', 545, 145),
  ];
  const row = (label: string | null, values: Array<string | null>, y: number): TextItem[] => [
    ...(label ? [t(label, 50, y)] : []),
    ...values.flatMap((v, k) => (v === null ? [] : [num(v, k, y)])),
  ];
  const lines = (items: TextItem[]) => layoutDocument([{ width: 800, height: 800, items, segs: [] }]).split('\n');

  it('puts every value under its header; blank cells stay empty fields, not shifted numbers', () => {
    const out = lines([...header, ...row('一、本年新收政府信息公开申请数量', ['12', '1', null, null, '0', '0', '13'], 170)]);
    expect(out).toContain('一、本年新收政府信息公开申请数量\t12\t1\t\t\t0\t0\t13');
  });

  it('joins a label wrapped around centred numbers, and a numbered label whose numbers sit on its last line', () => {
    const out = lines([
      ...header,
      t('（二）部分公开（区分处理的，只计', 50, 170),
      ...row(null, ['3', '0', '0', '0', '0', '0', '3'], 177),
      t('这一情形，不计其他情形）', 50, 184),
      t('5.要求行政机关确认或重新出具已获取', 50, 205),
      ...row('信息', ['0', '0', '0', '0', '0', '1', '1'], 217),
    ]);
    expect(out).toContain('（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t3\t0\t0\t0\t0\t0\t3');
    expect(out).toContain('5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t1\t1');
  });

  it('a value half-way between two free columns goes in neither: both are marked unread', () => {
    const items = [...header, ...row('四、结转下年度继续办理', ['2', null, null, null, null, null, '2'], 170), t('7', 383, 170)];
    const out = lines(items);
    expect(out).toContain(`四、结转下年度继续办理\t2\t${UNREAD_CELL}\t${UNREAD_CELL}\t\t\t\t2`);
  });

  it('a table continued on the next page without its header keeps the columns, blank columns included', () => {
    const page1 = {
      width: 800,
      height: 800,
      segs: [],
      items: [...header, ...row('1.属于国家秘密', ['1', '0', '0', '0', '0', '0', '1'], 170)],
    };
    const page2 = {
      width: 800,
      height: 800,
      segs: [],
      items: [
        ...row('2.其他法律行政法规禁止公开', ['3', null, '0', '0', '0', '1', '4'], 60),
        ...row('3.危及“三安全一稳定”', ['2', null, '0', '0', '0', '0', '2'], 80),
      ],
    };
    const out = layoutDocument([page1, page2]).split('\n');
    expect(out).toContain('2.其他法律行政法规禁止公开\t3\t\t0\t0\t0\t1\t4');
    expect(out).toContain('3.危及“三安全一稳定”\t2\t\t0\t0\t0\t0\t2');
  });

  it('a value between two columns of which one is taken goes in the free one', () => {
    const out = lines([...header, ...row('（七）总计', ['2', '5', null, null, null, null, '9'], 170), t('2', 383, 170)]);
    expect(out).toContain('（七）总计\t2\t5\t2\t\t\t\t9');
  });
});

describe('borderless table 四 (no label column)', () => {
  it('a column blank in the only row keeps its empty field, so the 15 values stay in place', async () => {
    const { readTables } = await import('../../../src/parse/tables/index.ts');
    const X = Array.from({ length: 15 }, (_, k) => 110 + k * 46);
    const sufs = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
    const c = (s: string, x: number, y: number) => t(s, x - (s.length * 10) / 2, y);
    const items: TextItem[] = [
      t('某某县2021年政府信息公开工作年度报告', 50, 40),
      t('四、政府信息公开行政复议、行政诉讼情况', 50, 70),
      c('行政复议', X[2], 90),
      c('行政诉讼', X[10], 90),
      ...sufs.map((s, k) => c(s.slice(0, 2), X[k], 104)),
      c('未经复议直接起诉', X[7], 104),
      c('复议后起诉', X[12], 104),
      ...sufs.flatMap((s, k) => (s.length > 2 ? [c(s.slice(2), X[k], 118)] : [])),
      ...[1, 2].flatMap((g) => sufs.map((s, k) => c(s.slice(0, 2), X[g * 5 + k], 118))),
      ...[1, 2].flatMap((g) => sufs.flatMap((s, k) => (s.length > 2 ? [c(s.slice(2), X[g * 5 + k], 132)] : []))),
      // 复议 结果维持 blank; 2 0 0 2 | 1 0 0 0 1 | 0 0 0 3 3
      ...['', '2', '0', '0', '2', '1', '0', '0', '0', '1', '0', '0', '0', '3', '3'].flatMap((v, k) => (v ? [t(v, X[k] - 2.5, 150)] : [])),
      t('五、存在的主要问题及改进情况', 50, 180),
    ];
    const body = layoutDocument([{ width: 800, height: 800, items, segs: [] }]);
    expect(body.split('\n')).toContain('\t\t2\t0\t0\t2\t1\t0\t0\t0\t1\t0\t0\t0\t3\t3');
    const r = readTables(body);
    expect(r.figures['review.upheld']).toBeUndefined();
    expect(r.blanks).toContain('review.upheld');
    expect(r.figures).toMatchObject({
      'review.corrected': 2,
      'review.total': 2,
      'litigation_direct.upheld': 1,
      'litigation_after_review.total': 3,
    });
  });
});
