// The report description the renderers accept. It is a structural subset of src/sim's ReportDocument,
// so the simulated web can pass its documents as they are, and tests can write plain grids.

export type RenderCell = { text: string; rowspan?: number; colspan?: number };
export type RenderTableSpec = { width?: number; rows: RenderCell[][] };
export type RenderBlock = { kind: 'heading' | 'paragraph'; text: string } | { kind: 'table'; index: number };

export type RenderableReport = {
  title: string;
  /** Headings and paragraphs, in order (used when `blocks` is absent). */
  paragraphs: string[];
  /** Tables as plain grids: rows of cells; every cell is drawn as its own box. */
  tables: string[][][];
  /** The same tables with merged cells; when present the renderers draw these instead of `tables`. */
  tableSpecs?: RenderTableSpec[];
  /** Reading order; without it: title, paragraphs, then tables. */
  blocks?: RenderBlock[];
};

/** A table as positioned blocks on a grid: each merged cell once, with its grid extent. */
export type GridCell = { text: string; r0: number; c0: number; r1: number; c1: number };
export type GridTable = { rows: number; cols: number; cells: GridCell[] };

export function tableGridOf(report: RenderableReport, index: number): GridTable {
  const spec = report.tableSpecs?.[index];
  if (spec) return fromSpec(spec);
  const grid = report.tables[index] ?? [];
  const cols = Math.max(1, ...grid.map((r) => r.length));
  const cells: GridCell[] = [];
  grid.forEach((row, r) => {
    row.forEach((text, c) => {
      // A short row's last cell stretches to the table's right edge, as in the printed templates.
      const c1 = c === row.length - 1 ? cols - 1 : c;
      cells.push({ text, r0: r, c0: c, r1: r, c1 });
    });
  });
  return { rows: grid.length, cols, cells };
}

function fromSpec(spec: RenderTableSpec): GridTable {
  const taken: boolean[][] = [];
  const cells: GridCell[] = [];
  let cols = spec.width ?? 0;
  spec.rows.forEach((row, r) => {
    taken[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (taken[r][c]) c++;
      const rs = Math.max(1, cell.rowspan ?? 1),
        cs = Math.max(1, cell.colspan ?? 1);
      const r1 = Math.min(spec.rows.length - 1, r + rs - 1);
      for (let rr = r; rr <= r1; rr++) {
        taken[rr] ??= [];
        for (let cc = c; cc < c + cs; cc++) taken[rr][cc] = true;
      }
      cells.push({ text: cell.text, r0: r, c0: c, r1, c1: c + cs - 1 });
      c += cs;
      cols = Math.max(cols, c);
    }
  });
  return { rows: spec.rows.length, cols, cells };
}

export function blocksOf(report: RenderableReport): RenderBlock[] {
  if (report.blocks?.length) return report.blocks;
  return [
    ...report.paragraphs.map((text) => ({ kind: 'paragraph' as const, text })),
    ...report.tables.map((_, index) => ({ kind: 'table' as const, index })),
  ];
}

/** Short lines that open a section or number a sub-item print as headings. */
export function isHeadingLike(text: string): boolean {
  return text.length <= 40 && /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)/.test(text) && !/[。；]$/.test(text);
}
