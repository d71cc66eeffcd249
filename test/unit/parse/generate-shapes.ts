// The input shapes of issue 11, generated from the same consistent figures as generate-report.ts:
// - collapsed: a text archive's copy (one line, whitespace collapsed, cells glued with no separator, header block);
// - pages: the report as an HTML article split over two or three pages at random lines (tables cut mid-way);
// - borderless: a PDF text layer with no ruling lines (positioned text items), labels wrapped over two lines with
//   the numbers on the first, middle or last line, blank cells missing, now and then a value printed half-way
//   between two columns.
// Each case knows the truth; the test parses it through the real entry points.
import { Converter } from 'opencc-js/cn2t';
import type { PageGeometry, TextItem } from '../../../src/documents/layout.ts';
import { generateFigures, generateReport, mulberry32, tablesOf, type Damage, type Rng, type Table } from './generate-report.ts';

export type NewShape = 'collapsed' | 'pages' | 'borderless';
export const NEW_SHAPES: readonly NewShape[] = ['collapsed', 'pages', 'borderless'];

export type ShapeCase = {
  shape: NewShape;
  format: '2019' | '2021';
  damage: string[];
  truth: Record<string, number>;
  collapsed?: string;
  pages?: string[];
  geometry?: PageGeometry[];
};

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const TITLE = (format: '2019' | '2021') => `永修县${format === '2019' ? 2020 : 2023}年政府信息公开工作年度报告`;
const OPENING = '本报告根据《中华人民共和国政府信息公开条例》要求编制,所列数据的统计期限自1月1日起至12月31日止。';
const isValue = (c: string) => /^[-+]?\d[\d.]*$|^[—\-/]$|^$/.test(c.trim());

/** One line per line of the tab body, cells glued; the whole joined into one line as a text archive stores it. */
function collapse(body: string, rng: Rng): string {
  const out: string[] = [];
  for (const line of body.split('\n')) {
    const cells = line.split('\t');
    if (cells.length === 1) {
      out.push(line);
      continue;
    }
    let k = 0;
    while (k < cells.length && !(/\d/.test(cells[k]) && isValue(cells[k]))) k++;
    const label = cells.slice(0, k).join('');
    // A blank cell leaves at most a space (an &nbsp; cell); values otherwise touch.
    const values = cells
      .slice(k)
      .map((v) => (v.trim() === '' ? ' ' : v))
      .join('');
    out.push(label + (rng() < 0.5 ? ' ' : '') + values);
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

function collapsedCase(seed: number, format?: '2019' | '2021'): ShapeCase {
  const rng = mulberry32(seed * 7 + 1);
  const damage = (['blank', 'traditional', 'pinyin', 'ocr', 'subtotals', 'review-transposed'] as Damage[]).filter(() => rng() < 0.25);
  const rep = generateReport(seed, { shape: 'tab', damage, format });
  const header = `标题: ${TITLE(rep.format)} 发布时间: 2024-01-20 10:00:00 发布机构: 永修县人民政府办公室 原文链接: http://www.yongxiu.gov.cn/zwgk/t${seed}.html`;
  const text = `${header} ${TITLE(rep.format)} ${OPENING} 一、总体情况 本年度持续推进政务公开。 ${collapse(rep.body, rng)}`;
  return { shape: 'collapsed', format: rep.format, damage, truth: rep.truth, collapsed: text };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The tab body as article pages: tab lines → table rows, other lines → paragraphs; cut at random lines. */
function pagesCase(seed: number, format?: '2019' | '2021'): ShapeCase {
  const rng = mulberry32(seed * 11 + 3);
  const rep = generateReport(seed, { shape: 'tab', format });
  const lines = [OPENING, '一、总体情况', '本年度持续推进政务公开。', ...rep.body.split('\n')];
  const n = 2 + Math.floor(rng() * 2);
  const cuts = [...new Set(Array.from({ length: n - 1 }, () => 3 + Math.floor(rng() * (lines.length - 4))))].sort((a, b) => a - b);
  const parts: string[][] = [];
  let from = 0;
  for (const c of [...cuts, lines.length]) {
    parts.push(lines.slice(from, c));
    from = c;
  }
  const pages = parts.map((part, p) => {
    const html: string[] = [];
    let inTable = false;
    for (const l of part) {
      if (l.includes('\t')) {
        if (!inTable) html.push('<table>');
        inTable = true;
        html.push(
          `<tr>${l
            .split('\t')
            .map((c) => `<td>${c === '' ? '&nbsp;' : escapeHtml(c)}</td>`)
            .join('')}</tr>`,
        );
      } else {
        if (inTable) html.push('</table>');
        inTable = false;
        if (l.trim()) html.push(`<p>${escapeHtml(l)}</p>`);
      }
    }
    if (inTable) html.push('</table>');
    const pager = parts.map((_, q) => (q === p ? `${q + 1}` : `<a href="t${seed}${q ? `_${q + 1}` : ''}.html">${q + 1}</a>`)).join(' ');
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="${TITLE(rep.format)}"><title>${TITLE(rep.format)}</title></head>
<body><div class="nav">首页 &gt; 政府信息公开年报</div><div class="article"><h1>${TITLE(rep.format)}</h1><p class="info">发布日期:2024-01-20 来源:永修县人民政府办公室</p>
<div id="zoom">${html.join('\n')}</div><div class="pages">${p > 0 ? '上一页 ' : ''}${pager}${p < parts.length - 1 ? ' 下一页' : ''}</div></div></body></html>`;
  });
  return { shape: 'pages', format: rep.format, damage: [`${pages.length} pages`], truth: rep.truth, pages };
}

// ---------------------------------------------------------------------------------------------------------
// Borderless PDF text layer

const H = 10;
const item = (s: string, x: number, y: number): TextItem => ({
  s,
  x,
  y,
  w: [...s].reduce((w, c) => w + (/[\x20-\x7e]/.test(c) ? H * 0.5 : H), 0),
  h: H,
});
const centred = (s: string, cx: number, y: number) => item(s, cx - item(s, 0, 0).w / 2, y);
/** A label wrapped at `width` characters, as a narrow cell wraps it. */
const wrap = (s: string, width: number) =>
  Array.from({ length: Math.max(1, Math.ceil(s.length / width)) }, (_, k) => s.slice(k * width, (k + 1) * width));

type Style = 'first' | 'middle' | 'last';

function borderlessCase(seed: number, format?: '2019' | '2021'): ShapeCase {
  const rng = mulberry32(seed * 13 + 5);
  const fmt = format ?? (rng() < 0.5 ? '2019' : '2021');
  const f = generateFigures(rng, fmt);
  const { t2, t3, t4 } = tablesOf(f, fmt, rng);
  const truth = { ...f };
  const damage: string[] = [];
  const style: Style = pick(rng, ['first', 'middle', 'last'] as const);
  damage.push(`numbers-${style}`);
  const blanks = rng() < 0.5;
  if (blanks) damage.push('blank');
  const nudge = rng() < 0.3;
  if (nudge) damage.push('between-columns');
  const traditional = rng() < 0.15;
  if (traditional) damage.push('traditional');
  const rightAligned = rng() < 0.4;
  if (rightAligned) damage.push('right-aligned');

  const items: TextItem[] = [];
  let y = 60;
  const text = (s: string) => {
    items.push(item(s, 50, y));
    y += 18;
  };
  text(TITLE(fmt));
  text(OPENING.slice(0, 40));
  text('二、主动公开政府信息情况');
  y += 4;

  /** A value row: label (wrapped per style) and values at column centres; blanks and nudges applied. */
  const valueRow = (label: string, values: string[], keys: string[], xs: number[], labelWidth: number) => {
    const parts = wrap(label, labelWidth);
    const ys = parts.map((_, k) => y + k * 12);
    const vy = parts.length === 1 ? y : style === 'first' ? ys[0] : style === 'last' ? ys[ys.length - 1] : y + (parts.length - 1) * 6;
    parts.forEach((p, k) => items.push(item(p, 50, ys[k])));
    values.forEach((v, k) => {
      if (blanks && rng() < 0.08) {
        delete truth[keys[k]];
        return;
      }
      let cx = xs[k] + (rng() - 0.5) * 4;
      if (nudge && k + 1 < xs.length && rng() < 0.04) cx = (xs[k] + xs[k + 1]) / 2;
      const it = rightAligned ? item(v, cx + 12 - item(v, 0, 0).w, vy) : centred(v, cx, vy);
      items.push(it);
    });
    y += parts.length === 1 ? 16 : parts.length * 12 + 4;
  };

  // Table 二: blocks of three (2019) or one/three (2021) columns.
  const x2 = [330, 450, 570];
  for (const block of t2) {
    items.push(item(block.header[0][0], 50, y));
    y += 16;
    const heads = block.header[1].slice(1);
    items.push(item('信息内容', 50, y));
    heads.forEach((h, k) => items.push(centred(h, heads.length === 1 ? x2[1] : x2[k], y)));
    y += 16;
    for (const r of block.rows) valueRow(r.label.join(''), r.values, r.keys, r.values.length === 1 ? [x2[1]] : x2, 20);
  }

  // Table 三: the 勾稽 note, a two-level header with wrapped leaf cells, 7 value columns.
  text('三、收到和处理政府信息公开申请情况');
  const x3 = [290, 360, 430, 500, 570, 640, 710];
  items.push(item('(本列数据的勾稽关系为:第一项加', 50, y), centred('申请人情况', 500, y));
  y += 14;
  items.push(
    item('第二项之和,等于第三项加第四项之和)', 50, y),
    centred('自然人', x3[0], y),
    centred('法人或其他组织', 500, y),
    centred('总计', x3[6], y),
  );
  y += 14;
  const leaf = [
    ['商业', '企业'],
    ['科研', '机构'],
    ['社会公', '益组织'],
    ['法律服', '务机构'],
    ['其他', ''],
  ];
  leaf.forEach(([a], k) => items.push(centred(a, x3[k + 1], y)));
  y += 14;
  leaf.forEach(([, b], k) => b && items.push(centred(b, x3[k + 1], y)));
  y += 18;
  for (const r of t3.rows) valueRow(r.label.filter(Boolean).join(''), r.values, r.keys, x3, 17);

  // Table 四: 15 columns, headers over two to four lines.
  y += 8;
  text('四、政府信息公开行政复议、行政诉讼情况');
  const x4 = Array.from({ length: 15 }, (_, k) => 110 + k * 46);
  const sufs = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  items.push(centred('行政复议', x4[2], y), centred('行政诉讼', x4[10], y));
  y += 14;
  sufs.forEach((s, k) => items.push(centred(s.slice(0, 2), x4[k], y)));
  items.push(centred('未经复议直接起诉', x4[7], y), centred('复议后起诉', x4[12], y));
  y += 14;
  sufs.forEach((s, k) => s.length > 2 && items.push(centred(s.slice(2), x4[k], y)));
  for (let g = 1; g <= 2; g++) sufs.forEach((s, k) => items.push(centred(s.slice(0, 2), x4[g * 5 + k], y)));
  y += 14;
  for (let g = 1; g <= 2; g++) sufs.forEach((s, k) => s.length > 2 && items.push(centred(s.slice(2), x4[g * 5 + k], y)));
  y += 18;
  const r4 = t4.rows.length === 1 ? t4.rows[0] : null;
  if (r4) valueRow('', r4.values, r4.keys, x4, 10);
  y += 10;
  text('五、存在的主要问题及改进情况');
  text('公开内容的规范性有待提高。');

  if (traditional) {
    const tw = Converter({ from: 'cn', to: 'tw' });
    for (const it of items) it.s = tw(it.s);
  }
  // One tall page: the layout's page joining is not under test here.
  const pages: PageGeometry[] = [{ width: 800, height: y + 200, items, segs: [] }];
  return { shape: 'borderless', format: fmt, damage, truth, geometry: pages };
}

export function generateShapeCase(seed: number, opts: { shape?: NewShape; format?: '2019' | '2021' } = {}): ShapeCase {
  const shape = opts.shape ?? NEW_SHAPES[seed % NEW_SHAPES.length];
  if (shape === 'collapsed') return collapsedCase(seed, opts.format);
  if (shape === 'pages') return pagesCase(seed, opts.format);
  return borderlessCase(seed, opts.format);
}

export type { Table };
