// Rebuilds body text (one paragraph per line, table rows as tab-separated cells) from positioned text
// pieces and ruling lines. Shared by the PDF path (pdf.js text items + operator-list paths) and the OCR
// path (tesseract word boxes + lines found in the raster), so both produce the same row shapes.
// Coordinates are top-down (y grows downwards), in any unit, as long as items and segments agree.

export type TextItem = {
  s: string;
  x: number; // left
  y: number; // baseline
  w: number;
  h: number; // font size (glyph height)
};
/** [x1, y1, x2, y2], axis-parallel. */
export type Segment = [number, number, number, number];
export type PageGeometry = { width: number; height: number; items: TextItem[]; segs: Segment[] };

const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/;

type Box = { s: string; x0: number; x1: number; top: number; bottom: number; h: number };

function toBox(it: TextItem): Box {
  // Glyphs sit mostly above the baseline; this box is what a reader sees.
  return { s: it.s, x0: it.x, x1: it.x + Math.max(it.w, 0), top: it.y - it.h * 0.85, bottom: it.y + it.h * 0.15, h: it.h };
}
const midY = (b: Box) => (b.top + b.bottom) / 2;
const midX = (b: Box) => (b.x0 + b.x1) / 2;

/** Joins two text pieces the way a reader would: no space between CJK, letter-spacing removed. */
function joinPieces(a: string, b: string, gapSpace: boolean): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1],
    first = b[0];
  if (CJK.test(last) || CJK.test(first) || !gapSpace) return a + b;
  return a + ' ' + b;
}
/** Letter-spaced headers (`商 业 企`) and wrapped CJK print as spaces between ideographs. */
export function tidyCell(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/(?<=[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]) (?=[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F])/g, '')
    .replace(/(?<=[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]) (?=[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F])/g, '')
    .trim();
}

/** Groups boxes into visual lines: boxes whose vertical centres fall inside a line's band. */
function clusterLines(boxes: Box[]): Box[][] {
  const sorted = [...boxes].sort((a, b) => midY(a) - midY(b) || a.x0 - b.x0);
  const lines: { items: Box[]; top: number; bottom: number }[] = [];
  for (const b of sorted) {
    const m = midY(b);
    let best: (typeof lines)[number] | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 4; i--) {
      const l = lines[i];
      const band = Math.min(l.bottom - l.top, b.bottom - b.top) * 0.5;
      const lm = (l.top + l.bottom) / 2;
      // Small glyphs (、。一) have short OCR boxes off the line's centre but inside its band.
      const overlap = Math.min(l.bottom, b.bottom) - Math.max(l.top, b.top);
      const small = b.bottom - b.top < (l.bottom - l.top) * 0.6;
      if (Math.abs(lm - m) <= band || (small && overlap >= (b.bottom - b.top) * 0.8)) {
        best = l;
        break;
      }
    }
    if (best) {
      best.items.push(b);
      best.top = Math.min(best.top, b.top);
      best.bottom = Math.max(best.bottom, b.bottom);
    } else lines.push({ items: [b], top: b.top, bottom: b.bottom });
  }
  return lines.map((l) => l.items.sort((a, b) => a.x0 - b.x0));
}

/** The text of a cell: its lines top to bottom, pieces left to right. */
function cellText(boxes: Box[]): string {
  let out = '';
  for (const line of clusterLines(boxes)) {
    let text = '';
    let prev: Box | undefined;
    for (const b of line) {
      text = joinPieces(text, b.s, !!prev && b.x0 - prev.x1 > b.h * 0.25);
      prev = b;
    }
    out = joinPieces(out, text, true);
  }
  return tidyCell(out);
}

// ---------------------------------------------------------------------------------------------------
// Ruling lines → tables

type HLine = { y: number; x0: number; x1: number };
type VLine = { x: number; y0: number; y1: number };

function mergeCollinear<T>(
  items: T[],
  key: (t: T) => number,
  lo: (t: T) => number,
  hi: (t: T) => number,
  make: (k: number, a: number, b: number) => T,
  tol: number,
): T[] {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const groups: T[][] = [];
  for (const t of sorted) {
    const g = groups[groups.length - 1];
    if (g && key(t) - key(g[g.length - 1]) <= tol) g.push(t);
    else groups.push([t]);
  }
  // Within a group only overlapping pieces are one line, and each line keeps its own position:
  // two tables on a page often have rules 1-2 pt apart, and averaging them would invent columns.
  const out: T[] = [];
  for (const g of groups) {
    const spans = [...g].sort((a, b) => lo(a) - lo(b));
    let run: T[] = [spans[0]];
    let end = hi(spans[0]);
    const flush = () => out.push(make(run.reduce((s, t) => s + key(t), 0) / run.length, Math.min(...run.map(lo)), end));
    for (const t of spans.slice(1)) {
      if (lo(t) <= end + tol) {
        run.push(t);
        end = Math.max(end, hi(t));
      } else {
        flush();
        run = [t];
        end = hi(t);
      }
    }
    flush();
  }
  return out;
}

export type Grid = {
  xs: number[];
  ys: number[];
  h: HLine[];
  v: VLine[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
};

/** Connected sets of horizontal and vertical rules that form a grid of at least 2×2 lines. */
export function findGrids(segs: Segment[], tol: number): Grid[] {
  const hRaw: HLine[] = [];
  const vRaw: VLine[] = [];
  for (const [x1, y1, x2, y2] of segs) {
    if (Math.abs(y1 - y2) <= tol / 2 && Math.abs(x2 - x1) > tol)
      hRaw.push({ y: (y1 + y2) / 2, x0: Math.min(x1, x2), x1: Math.max(x1, x2) });
    else if (Math.abs(x1 - x2) <= tol / 2 && Math.abs(y2 - y1) > tol)
      vRaw.push({ x: (x1 + x2) / 2, y0: Math.min(y1, y2), y1: Math.max(y1, y2) });
  }
  const hs = mergeCollinear(
    hRaw,
    (l) => l.y,
    (l) => l.x0,
    (l) => l.x1,
    (y, x0, x1) => ({ y, x0, x1 }),
    tol,
  );
  const vs = mergeCollinear(
    vRaw,
    (l) => l.x,
    (l) => l.y0,
    (l) => l.y1,
    (x, y0, y1) => ({ x, y0, y1 }),
    tol,
  );
  // Union-find over lines that touch.
  const n = hs.length + vs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      const h = hs[i],
        v = vs[j];
      if (v.x >= h.x0 - tol && v.x <= h.x1 + tol && h.y >= v.y0 - tol && h.y <= v.y1 + tol) parent[find(i)] = find(hs.length + j);
    }
  }
  const comps = new Map<number, { h: HLine[]; v: VLine[] }>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!comps.has(r)) comps.set(r, { h: [], v: [] });
    if (i < hs.length) comps.get(r)!.h.push(hs[i]);
    else comps.get(r)!.v.push(vs[i - hs.length]);
  }
  const grids: Grid[] = [];
  for (const { h, v } of comps.values()) {
    const ys = cluster(
      h.map((l) => l.y),
      tol,
    );
    const xs = cluster(
      v.map((l) => l.x),
      tol,
    );
    // A row split by a page break has no closing rule on this page: the column rules still run to the
    // row's end, so their extent is the missing boundary (likewise for rows that overhang the columns).
    if (v.length && h.length) {
      const vTop = Math.min(...v.map((l) => l.y0)),
        vBottom = Math.max(...v.map((l) => l.y1));
      if (vBottom > ys[ys.length - 1] + 2 * tol) {
        ys.push(vBottom);
        h.push({ y: vBottom, x0: -Infinity, x1: Infinity });
      }
      if (vTop < ys[0] - 2 * tol) {
        ys.unshift(vTop);
        h.push({ y: vTop, x0: -Infinity, x1: Infinity });
      }
    }
    if (ys.length < 2 || xs.length < 2) continue;
    grids.push({ xs, ys, h, v, x0: xs[0], x1: xs[xs.length - 1], y0: ys[0], y1: ys[ys.length - 1] });
  }
  return grids.sort((a, b) => a.y0 - b.y0);
}

function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const g = out[out.length - 1];
    if (g && v - g[g.length - 1] <= tol) g.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/** Is there a rule along y from xa to xb (most of the way)? */
function hasH(grid: Grid, y: number, xa: number, xb: number, tol: number): boolean {
  const need = (xb - xa) * 0.6;
  let covered = 0;
  for (const l of grid.h) {
    if (Math.abs(l.y - y) > tol) continue;
    covered += Math.max(0, Math.min(l.x1, xb) - Math.max(l.x0, xa));
  }
  return covered >= need;
}
function hasV(grid: Grid, x: number, ya: number, yb: number, tol: number): boolean {
  const need = (yb - ya) * 0.6;
  let covered = 0;
  for (const l of grid.v) {
    if (Math.abs(l.x - x) > tol) continue;
    covered += Math.max(0, Math.min(l.y1, yb) - Math.max(l.y0, ya));
  }
  return covered >= need;
}

/**
 * A piece of text that crosses a column rule belongs to two cells (OCR joins `0 0` across a rule into
 * one word; some PDF producers emit one run for a whole row). Split it where the rule is, in proportion
 * to its characters.
 */
function splitAtRules(grid: Grid, boxes: Box[], tol: number, rowOf: (y: number) => number): Box[] {
  const out: Box[] = [];
  for (const b of boxes) {
    const chars = [...b.s];
    const r = rowOf(midY(b));
    const cuts = grid.xs.filter((x) => x > b.x0 + tol && x < b.x1 - tol && hasV(grid, x, grid.ys[r], grid.ys[r + 1], tol));
    if (chars.length < 2 || cuts.length === 0) {
      out.push(b);
      continue;
    }
    const per = (b.x1 - b.x0) / chars.length;
    let start = 0;
    let x0 = b.x0;
    for (const cut of [...cuts, b.x1 + 1]) {
      const end = cut > b.x1 ? chars.length : Math.max(start, Math.min(chars.length, Math.round((cut - b.x0) / per)));
      const text = chars.slice(start, end).join('').trim();
      const x1 = Math.min(cut, b.x1);
      if (text) out.push({ ...b, s: text, x0, x1 });
      start = end;
      x0 = x1;
    }
  }
  return out;
}

/**
 * Table rows of a ruled grid. Merged cells follow the body-text contract: a merged cell's text appears
 * once, in its first row and column; columns it spans to the right are omitted, and rows below it that
 * it covers get one empty field in its place (so value columns keep their positions).
 */
export type GridBlock = { r0: number; c0: number; r1: number; c1: number; x0: number; y0: number; x1: number; y1: number };

/** Merged cells of a grid: a block grows right while no column rule separates, then down likewise. */
export function gridBlocks(grid: Grid, tol: number): { blocks: GridBlock[]; owner: number[][] } {
  const R = grid.ys.length - 1,
    C = grid.xs.length - 1;
  const owner: number[][] = Array.from({ length: R }, () => new Array(C).fill(-1));
  const blocks: GridBlock[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (owner[r][c] !== -1) continue;
      let c1 = c;
      while (c1 + 1 < C && owner[r][c1 + 1] === -1 && !hasV(grid, grid.xs[c1 + 1], grid.ys[r], grid.ys[r + 1], tol)) c1++;
      let r1 = r;
      while (
        r1 + 1 < R &&
        !hasH(grid, grid.ys[r1 + 1], grid.xs[c], grid.xs[c1 + 1], tol) &&
        owner[r1 + 1].slice(c, c1 + 1).every((o) => o === -1)
      )
        r1++;
      const id = blocks.length;
      blocks.push({ r0: r, c0: c, r1, c1, x0: grid.xs[c], y0: grid.ys[r], x1: grid.xs[c1 + 1], y1: grid.ys[r1 + 1] });
      for (let rr = r; rr <= r1; rr++) for (let cc = c; cc <= c1; cc++) owner[rr][cc] = id;
    }
  }
  return { blocks, owner };
}

function gridRows(grid: Grid, boxes: Box[], tol: number): string[][] {
  const R = grid.ys.length - 1,
    C = grid.xs.length - 1;
  const { blocks: geo, owner } = gridBlocks(grid, tol);
  const blocks = geo.map((g) => ({ ...g, boxes: [] as Box[] }));
  const colOf = (x: number) => {
    for (let c = 0; c < C; c++) if (x < grid.xs[c + 1]) return c;
    return C - 1;
  };
  const rowOf = (y: number) => {
    for (let r = 0; r < R; r++) if (y < grid.ys[r + 1]) return r;
    return R - 1;
  };
  for (const b of splitAtRules(grid, boxes, tol, rowOf)) blocks[owner[rowOf(midY(b))][colOf(midX(b))]].boxes.push(b);
  const rows: string[][] = [];
  for (let r = 0; r < R; r++) {
    const row: string[] = [];
    for (let c = 0; c < C; c++) {
      const blk = blocks[owner[r][c]];
      if (blk.c0 !== c) continue; // spanned from the left: omitted
      row.push(blk.r0 === r ? cellText(blk.boxes) : '');
    }
    // A grid row with no text at all is a drawing artefact (double rules, spacer rows).
    if (row.some((cell) => cell !== '')) rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Page → lines

export type LayoutOptions = {
  /** Distance treated as "the same line" for rules, in page units. */
  ruleTolerance?: number;
  /** Drop lone page numbers near the top/bottom margins. */
  dropPageNumbers?: boolean;
};

type Block = { top: number; lines: string[]; kind: 'table' | 'text'; textLines?: TextLine[] };
type CellSpan = { text: string; x0: number; x1: number };
type TextLine = { text: string; x0: number; x1: number; top: number; bottom: number; h: number; cells: number; spans: CellSpan[] };

const PAGE_NUMBER = /^[-—–－·\s]*(第\s*)?\d{1,4}(\s*页)?[-—–－·\s]*$|^\d+\s*\/\s*\d+$/;

/** Splits a line into cells at wide gaps; a borderless table keeps its columns this way. */
function textLineOf(line: Box[]): TextLine {
  const spans: CellSpan[] = [];
  let cur: CellSpan | null = null;
  let prev: Box | undefined;
  for (const b of line) {
    const gap = prev ? b.x0 - prev.x1 : 0;
    const h = Math.max(b.h, prev?.h ?? 0);
    // Numbers in neighbouring columns of a borderless table can sit closer than two characters; a
    // space inside one number (`8208. 93`) is far narrower than a character.
    const numbers = !!cur && /\d$/.test(cur.text) && /^[-+]?\d/.test(b.s);
    if (!cur || gap > h * 2 || (numbers && gap > h * 0.8)) {
      if (cur) spans.push(cur);
      cur = { text: b.s, x0: b.x0, x1: b.x1 };
    } else {
      cur.text = joinPieces(cur.text, b.s, gap > h * 0.25);
      cur.x1 = Math.max(cur.x1, b.x1);
    }
    prev = b;
  }
  if (cur) spans.push(cur);
  for (const sp of spans) sp.text = tidyCell(sp.text);
  return {
    text: spans.map((c) => c.text).join('\t'),
    x0: line[0].x0,
    x1: Math.max(...line.map((b) => b.x1)),
    top: Math.min(...line.map((b) => b.top)),
    bottom: Math.max(...line.map((b) => b.bottom)),
    h: Math.max(...line.map((b) => b.h)),
    cells: spans.length,
    spans,
  };
}

const NUMERIC_CELL = /^[-+]?\d[\d,]*(\.\d+)?$/;

/**
 * Borderless tables: consecutive multi-cell lines are aligned on value columns found from their number
 * cells, so a blank cell comes back as an empty field instead of shifting the numbers after it left.
 * Text left of the first value column stays as label cells; a header spanning several columns is
 * written once, at its first column.
 */
function alignUnruled(lines: TextLine[], carry: ColumnCarry = {}): void {
  const byHeader = alignByHeader(lines, carry);
  let i = 0;
  while (i < lines.length) {
    if (lines[i].cells < 2 || byHeader.has(lines[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < lines.length && lines[j + 1].cells >= 2 && !byHeader.has(lines[j + 1])) j++;
    const run = lines.slice(i, j + 1);
    const numericCells = run.flatMap((l) => l.spans.filter((c) => NUMERIC_CELL.test(c.text)));
    if (run.length >= 2 && run.filter((l) => l.spans.some((c) => NUMERIC_CELL.test(c.text))).length >= 2) {
      const bands: { x0: number; x1: number }[] = [];
      for (const c of [...numericCells].sort((a, b) => a.x0 - b.x0)) {
        const last = bands[bands.length - 1];
        if (last && c.x0 <= last.x1) last.x1 = Math.max(last.x1, c.x1);
        else bands.push({ x0: c.x0, x1: c.x1 });
      }
      if (bands.length >= 2) for (const l of run) realign(l, bands);
    }
    i = j + 1;
  }
}

// ---------------------------------------------------------------------------------------------------
// Borderless tables by their header (no ruling lines): the header's leaf cells (cells with no header cell
// below them: 自然人, 商业企业 … 总计; the 15 columns of table 四) fix the value columns; each value is put in
// the column whose header it sits under. A value that sits between two columns, with both free, is written
// as UNREAD in both (the parser leaves those cells out, naming their keys) — never guessed into a neighbour.
// A row whose label wraps is joined: numbers centred between two label lines take both, and numbers on the
// last line of a numbered label take the lines above them.

/** A cell whose value exists but whose column cannot be told (src/parse/tables/records.ts reads it so). */
export const UNREAD_CELL = '\uFFFD';
const VALUE_TEXT = /^(?:[-+]?\d[\d,]*(?:\.\d+)?(?:万元|元)?|[-—–/／]+)$/;
const ROW_NUMBERING = /^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d))/;
const _HEADING = /^[一二三四五六七八九十]{1,3}、/;

/** A value column: where its numbers sit (x0..x1) and their usual centre (`ref`). */
type Column = { x0: number; x1: number; ref?: number; complete?: boolean };
const hasNumber = (l: TextLine) => l.spans.some((c) => NUMERIC_CELL.test(c.text) || /^\d[\d,]*(?:\.\d+)?(?:万元|元)$/.test(c.text));
const overlapX = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/** Leaf cells of the header lines: no cell of a lower header line sits under them. */
function leafColumns(header: TextLine[]): Column[] {
  const spans = header.flatMap((l, li) => l.spans.map((c) => ({ x0: c.x0, x1: c.x1, li })));
  const leaves = spans.filter((a) => !spans.some((b) => b.li > a.li && overlapX(a, b) > 0.3 * Math.min(a.x1 - a.x0, b.x1 - b.x0)));
  return leaves.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1)).map(({ x0, x1 }) => ({ x0, x1 }));
}

/** The fields of one value row: its label cells, then one field per column. */
function placeValues(l: TextLine, cols: Column[], valueLeft: number): string[] {
  const tol = l.h * 0.3;
  const labels: string[] = [];
  const placed: string[][] = cols.map(() => []);
  const unsure: Array<{ text: string; ks: [number, number] }> = [];
  for (const c of l.spans) {
    const valueLike = VALUE_TEXT.test(c.text);
    if (!valueLike && c.x1 <= valueLeft + tol) {
      labels.push(c.text);
      continue;
    }
    const cx = (c.x0 + c.x1) / 2;
    // Inside exactly one column's zone: certain. Otherwise by distance to where each column's numbers sit.
    const inside = cols.map((col, k) => (cx >= col.x0 - tol && cx <= col.x1 + tol ? k : -1)).filter((k) => k >= 0);
    if (inside.length === 1) {
      placed[inside[0]].push(c.text);
      continue;
    }
    const order = cols.map((col, k) => [Math.abs(cx - (col.ref ?? (col.x0 + col.x1) / 2)), k] as const).sort((a, b) => a[0] - b[0]);
    const [d1, k1] = order[0];
    const second = order[1];
    if (!second || d1 < 0.5 * second[0]) placed[k1].push(c.text);
    else unsure.push({ text: c.text, ks: [k1, second[1]] });
  }
  const fields = placed.map((p) => (p.length === 1 ? p[0] : p.length > 1 ? UNREAD_CELL : ''));
  // One value per cell: a value between two columns, one of them taken, belongs to the other, but only when the
  // columns are known to be all there (from the header); otherwise it might be a column of its own.
  const complete = cols.every((c) => c.complete);
  for (const u of unsure) {
    const free = u.ks.filter((k) => placed[k].length === 0);
    if (free.length === 1 && complete) {
      fields[free[0]] = fields[free[0]] === '' ? u.text : UNREAD_CELL;
      placed[free[0]].push(u.text);
    } else for (const k of free) fields[k] = UNREAD_CELL;
  }
  return [...labels, ...fields];
}

/** Prose (a long single-cell line) or a section heading (三、…情况) ends a table. */
const endsTable = (l: TextLine) =>
  (l.cells === 1 && l.text.length > 30) || /^[一二三四五六七八九十]{1,3}、[^\t\d]*(?:情况|问题|事项|总体情况)$/.test(l.text);

/** Value columns from the numbers themselves: overlapping extents merge into one band. */
function numberBands(lines: TextLine[], left: number): Array<Column & { n: number }> {
  const cells = lines.flatMap((l) => l.spans.filter((c) => NUMERIC_CELL.test(c.text) && c.x0 >= left - 1)).sort((a, b) => a.x0 - b.x0);
  const bands: Array<Column & { n: number }> = [];
  for (const c of cells) {
    const last = bands[bands.length - 1];
    if (last && c.x0 <= last.x1) {
      last.x1 = Math.max(last.x1, c.x1);
      last.n++;
    } else bands.push({ x0: c.x0, x1: c.x1, n: 1 });
  }
  return bands;
}

/**
 * The header's leaf cells are the columns when they agree with the numbers: every band of numbers lies under
 * exactly one leaf, no two bands under the same leaf. Leaves with no numbers under them are columns printed
 * blank throughout. Otherwise (header text run together across narrow columns) the bands are the columns.
 */
function columnsOf(
  header: TextLine[],
  bands: Array<Column & { n: number }>,
  left: number,
  h: number,
  rows: number,
  labels: Column[],
): Column[] {
  // Values printed between columns in a few rows; a column of its own would have values in most rows.
  const strayMax = Math.max(1, Math.floor(rows / 4));
  // Value columns: header leaves above no row label (a column blank in every row still counts).
  const labelEdge = labels.length ? Math.min(...labels.map((sp) => sp.x1), left) : -Infinity;
  const leaves = leafColumns(header).filter((c) => !labels.some((sp) => overlapX(c, sp) > 0) && c.x1 > labelEdge - h * 0.5);
  const asBands = bands.map((b) => ({ ...b, ref: (b.x0 + b.x1) / 2 }));
  if (leaves.length < 2) return asBands;
  const gap = (a: Column, b: Column) => Math.max(a.x0 - b.x1, b.x0 - a.x1);
  const mapped = leaves.map(() => [] as Column[]);
  for (const b of bands) {
    const under = leaves.map((c, k) => (gap(b, c) < h * 0.5 ? k : -1)).filter((k) => k >= 0);
    // A few values under no leaf were printed between two columns (placeValues decides); a band of values in
    // many rows under no leaf is a column the header does not show: then the header is no guide.
    if (under.length === 0 && b.n <= strayMax) continue;
    if (under.length === 0) return asBands;
    if (under.length > 1 || mapped[under[0]].length) return asBands;
    mapped[under[0]].push(b);
  }
  const used = mapped.filter((m) => m.length).length;
  if (used < Math.min(2, leaves.length)) return asBands;
  return leaves.map((c, k) => {
    const b = mapped[k][0];
    return b
      ? { x0: Math.min(c.x0, b.x0), x1: Math.max(c.x1, b.x1), ref: (b.x0 + b.x1) / 2, complete: true }
      : { ...c, ref: (c.x0 + c.x1) / 2, complete: true };
  });
}

/**
 * Wide borderless tables (four or more value columns: tables 三 and 四) aligned on their columns. Returns the
 * lines it rewrote (the per-run band fallback leaves them alone); label lines merged into a row are emptied.
 */
/** The columns of the last header-led table, for a table that continues on the next page without its header. */
export type ColumnCarry = { cols?: Column[] };

function fitsCarried(carried: Column[] | undefined, bands: Column[], h: number): boolean {
  if (!carried || bands.length < 2) return false;
  const gap = (a: Column, b: Column) => Math.max(a.x0 - b.x1, b.x0 - a.x1);
  const used = new Set<number>();
  for (const b of bands) {
    const under = carried.map((c, k) => (gap(b, c) < h * 0.5 ? k : -1)).filter((k) => k >= 0);
    if (under.length !== 1 || used.has(under[0])) return false;
    used.add(under[0]);
  }
  return true;
}

function alignByHeader(lines: TextLine[], carry: ColumnCarry = {}): Set<TextLine> {
  const done = new Set<TextLine>();
  let i = 0;
  while (i < lines.length) {
    if (!hasNumber(lines[i]) || lines[i].cells < 2) {
      i++;
      continue;
    }
    // The block runs to prose, a section heading or the next header row (text under the value columns).
    const firstLeft = Math.min(...lines[i].spans.filter((c) => NUMERIC_CELL.test(c.text)).map((c) => c.x0));
    let last = i;
    for (let j = i + 1; j < lines.length && !endsTable(lines[j]); j++) {
      if (hasNumber(lines[j])) last = j;
      else if (lines[j].spans.some((c) => c.x1 > firstLeft && !VALUE_TEXT.test(c.text))) break;
    }
    let numeric = lines.slice(i, last + 1).filter(hasNumber);
    const left = Math.min(...numeric.flatMap((l) => l.spans.filter((c) => NUMERIC_CELL.test(c.text)).map((c) => c.x0)));
    // Above the first value row: label lines of that row (nothing right of where values start), then the header.
    let first = i;
    while (first - 1 >= 0 && !endsTable(lines[first - 1]) && !hasNumber(lines[first - 1]) && lines[first - 1].x1 <= left && i - first < 3)
      first--;
    const header: TextLine[] = [];
    for (let j = first - 1; j >= 0 && header.length < 5 && !endsTable(lines[j]) && !hasNumber(lines[j]); j--) header.unshift(lines[j]);
    const block = lines.slice(first, last + 1);
    numeric = block.filter(hasNumber);
    const h = Math.max(...numeric.map((l) => l.h));
    const bands = numberBands(numeric, left);
    // The rows' labels: text before the first value of a row, and label lines between rows.
    const labels: Column[] = block.flatMap((l) => {
      const k = l.spans.findIndex((c) => VALUE_TEXT.test(c.text));
      return (k < 0 ? (hasNumber(l) ? [] : l.spans.filter((c) => c.x1 <= left)) : l.spans.slice(0, k)).map((c) => ({ x0: c.x0, x1: c.x1 }));
    });
    let cols = columnsOf(header, bands, left, h, numeric.length, labels);
    // No header of its own on this page: a table continued from the previous page keeps that page's columns.
    if (!cols.every((c) => c.complete) && !header.some((l) => l.spans.some((c) => c.x0 >= left - h)) && fitsCarried(carry.cols, bands, h))
      cols = carry.cols!;
    if (cols.every((c) => c.complete) && cols.length >= 4) carry.cols = cols;
    // Narrow tables (table 二's blocks) only when the header vouches for the columns; the per-run bands below
    // handle the rest as before.
    if (cols === bands ? cols.length < 4 : cols.length < 2) {
      i = last + 1;
      continue;
    }
    const valueLeft = Math.min(left, cols[0].x0);
    const isLabel = (c: CellSpan, hh: number) => c.x1 <= valueLeft + hh * 0.3 && !VALUE_TEXT.test(c.text);
    const rows = block.filter(hasNumber);
    const ownLabel = (l: TextLine) =>
      l.spans
        .filter((c) => isLabel(c, l.h))
        .map((c) => c.text)
        .join('');
    const mid = (l: TextLine) => (l.top + l.bottom) / 2;
    // Label lines between value rows (a wrapped label, a group label spanning rows) join the nearest row; a
    // numbered line (`5.要求…`) starts the row below it when that row's own label is no row start.
    const owned = new Map<TextLine, { above: TextLine[]; below: TextLine[] }>(rows.map((r) => [r, { above: [], below: [] }]));
    for (const t of block) {
      if (hasNumber(t) || t.text === '' || !t.spans.every((c) => isLabel(c, t.h))) continue;
      const prev = [...rows].reverse().find((r) => mid(r) < mid(t));
      const next = rows.find((r) => mid(r) > mid(t));
      const dP = prev ? mid(t) - mid(prev) : Infinity;
      const dN = next ? mid(next) - mid(t) : Infinity;
      const reach = t.h * 2;
      let owner: TextLine | undefined;
      if (next && dN <= reach && ROW_NUMBERING.test(t.text) && !ROW_NUMBERING.test(ownLabel(next))) owner = next;
      else if (next && dN <= reach && dN < dP * 0.9) owner = next;
      else if (prev && dP <= reach) owner = prev;
      else if (next && dN <= reach) owner = next;
      if (!owner) continue;
      (mid(t) < mid(owner) ? owned.get(owner)!.above : owned.get(owner)!.below).push(t);
    }
    for (const l of rows) {
      const { above, below } = owned.get(l)!;
      const fields = placeValues(l, cols, valueLeft);
      const nLabels = fields.length - cols.length;
      let labels = fields.slice(0, nLabels);
      if (above.length || below.length) {
        // Label columns by overlap of their text extents; each column's pieces top to bottom.
        const spans = [...above, l, ...below].flatMap((t) => t.spans.filter((c) => isLabel(c, t.h)).map((c) => ({ ...c, y: mid(t) })));
        const columns: Array<{ x0: number; x1: number; parts: typeof spans }> = [];
        for (const sp of [...spans].sort((a, b) => a.x0 - b.x0)) {
          const col = columns.find((c) => overlapX(c, sp) > 0);
          if (col) {
            col.parts.push(sp);
            col.x0 = Math.min(col.x0, sp.x0);
            col.x1 = Math.max(col.x1, sp.x1);
          } else columns.push({ x0: sp.x0, x1: sp.x1, parts: [sp] });
        }
        labels = columns.map((c) =>
          c.parts
            .sort((a, b) => a.y - b.y || a.x0 - b.x0)
            .map((p) => p.text)
            .join(''),
        );
        for (const t of [...above, ...below]) t.text = '';
      }
      const out = [...(labels.length ? labels : ['']), ...fields.slice(nLabels)];
      l.text = out.join('\t');
      l.cells = out.length;
      done.add(l);
    }
    i = last + 1;
  }
  return done;
}

function realign(l: TextLine, bands: { x0: number; x1: number }[]): void {
  const labels: string[] = [];
  const slots: (string | null)[] = bands.map(() => '');
  for (const c of l.spans) {
    const hit = bands.map((b, k) => (Math.min(b.x1, c.x1) - Math.max(b.x0, c.x0) > 0 ? k : -1)).filter((k) => k >= 0);
    if (hit.length === 0) {
      // Not under any value column: a label (left of the values) or a stray note; keep its order.
      if (c.x1 <= bands[0].x0) labels.push(c.text);
      else {
        const k = bands.findIndex((b) => b.x0 > c.x1);
        const at = k === -1 ? bands.length - 1 : Math.max(0, k - 1);
        slots[at] = slots[at] ? `${slots[at]} ${c.text}` : c.text;
      }
      continue;
    }
    const first = hit[0];
    slots[first] = slots[first] ? `${slots[first]} ${c.text}` : c.text;
    for (const k of hit.slice(1)) slots[k] = null; // spanned: omitted
  }
  const fields = [...labels, ...slots.filter((x): x is string => x !== null)];
  l.text = fields.join('\t');
  l.cells = fields.length;
}

/** Items that contain runs of spaces and cross a rule are several cells printed as one run. */
function splitWideItems(items: TextItem[]): TextItem[] {
  const out: TextItem[] = [];
  for (const it of items) {
    const parts = it.s.split(/(\s{2,})/);
    if (parts.length < 3 || it.s.length === 0) {
      out.push(it);
      continue;
    }
    const per = it.w / it.s.length;
    let pos = 0;
    for (const p of parts) {
      if (p.trim()) out.push({ ...it, s: p, x: it.x + pos * per, w: p.length * per });
      pos += p.length;
    }
  }
  return out;
}

export function layoutPage(page: PageGeometry, opts: LayoutOptions = {}, carry: ColumnCarry = {}): { lines: TextLine[]; blocks: Block[] } {
  const tol = opts.ruleTolerance ?? 2;
  let boxes = splitWideItems(page.items.filter((it) => it.s.trim() !== '')).map(toBox);
  if (opts.dropPageNumbers !== false) {
    // Page numbers live in the outer 10% of the page; elsewhere a lone number is data.
    const lines = clusterLines(boxes);
    const drop = new Set<Box>();
    for (const l of lines) {
      const text = l.map((b) => b.s).join('');
      const top = Math.min(...l.map((b) => b.top));
      if (PAGE_NUMBER.test(text) && (top > page.height * 0.9 || top < page.height * 0.08)) l.forEach((b) => drop.add(b));
    }
    boxes = boxes.filter((b) => !drop.has(b));
  }
  const grids = findGrids(page.segs, tol).filter((g) => boxes.some((b) => inside(g, b, tol)));
  const blocks: Block[] = [];
  const used = new Set<Box>();
  for (const g of grids) {
    const mine = boxes.filter((b) => !used.has(b) && inside(g, b, tol));
    mine.forEach((b) => used.add(b));
    const rows = gridRows(g, mine, tol);
    blocks.push({ top: g.y0, kind: 'table', lines: rows.map((r) => r.join('\t')) });
  }
  const free = boxes.filter((b) => !used.has(b));
  const textLines = clusterLines(free).map(textLineOf);
  alignUnruled(textLines, carry);
  for (const tl of textLines) if (tl.text !== '') blocks.push({ top: tl.top, kind: 'text', lines: [tl.text], textLines: [tl] });
  blocks.sort((a, b) => a.top - b.top);
  return { lines: textLines, blocks };
}

function inside(g: Grid, b: Box, tol: number): boolean {
  const x = midX(b),
    y = midY(b);
  return x >= g.x0 - tol && x <= g.x1 + tol && y >= g.y0 - tol && y <= g.y1 + tol;
}

/**
 * Joins pages into body text. Prose lines that run to the right margin continue on the next line
 * (Chinese paragraphs wrap without hyphens and start with a two-character indent), so they are joined
 * into one paragraph line; headings, short lines and table rows stay on their own lines.
 */
export function layoutDocument(pages: PageGeometry[], opts: LayoutOptions = {}): string {
  const out: string[] = [];
  let para: TextLine | null = null;
  let paraText = '';
  const flush = () => {
    if (para) out.push(paraText);
    para = null;
    paraText = '';
  };
  const carry: ColumnCarry = {};
  const laid = pages.map((page) => layoutPage(page, opts, carry));
  // Margins from the whole document: a last page with three short lines says nothing about them.
  const single = laid.flatMap((l) => l.lines).filter((l) => l.cells === 1);
  const left = percentile(
    single.map((l) => l.x0),
    0.2,
  );
  const right = percentile(
    single.map((l) => l.x1),
    0.8,
  );
  for (const { blocks } of laid) {
    for (const blk of blocks) {
      if (blk.kind === 'table') {
        flush();
        out.push(...blk.lines);
        continue;
      }
      const tl = blk.textLines![0];
      if (tl.cells > 1) {
        flush();
        out.push(tl.text);
        continue;
      }
      const p = para as TextLine | null;
      const continues =
        p !== null && p.cells === 1 && p.x1 >= right - p.h * 1.5 && tl.x0 <= left + tl.h * 0.5 && Math.abs(tl.h - p.h) < p.h * 0.2;
      if (continues) {
        paraText = joinPieces(paraText, tl.text, true);
        para = tl;
      } else {
        flush();
        para = tl;
        paraText = tl.text;
      }
    }
    // Paragraphs do run across pages; the same margin rule decides at the top of the next page.
  }
  flush();
  return out.filter((l) => l.trim() !== '').join('\n');
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
