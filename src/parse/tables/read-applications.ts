// Table 三 (收到和处理政府信息公开申请情况): rows found by label meaning, placed in template order; rows with
// no readable label fill the one gap in the sequence they sit in, or are dropped with a warning.
import { APPLICANT_COLUMNS, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021 } from '../../schema/figure-keys.ts';
import { type StatedValue, type SubtotalGroup, subtotalGroupOf } from '../checks.ts';
import { applicantColumnsInText, matchApplicantColumn, matchApplicationRows, matchGroup, squash, stripNumbering } from './labels.ts';
import { mapValues, type HeaderGrid } from './map-values.ts';
import { walkLines, type ValueRecord, type TextLine } from './records.ts';

export type ApplicationsResult = {
  found: boolean;
  layout: '2019' | '2021' | null;
  /** A 2021-style table that prints （六）其他处理 as one row. */
  singleOtherRow: boolean;
  figures: Record<string, number>;
  blanks: string[];
  subtotals: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
  orgSubtotal: Partial<Record<string, StatedValue>>;
  groupOnly: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
  /** Keys whose cell holds a value that could not be read or placed. */
  unread: string[];
  warnings: string[];
};

type Labeled = { rec: ValueRecord; row: string | null; kind: 'row' | 'subtotal' | 'group'; group: string | null; via: string };

/** Header grid of a tab/pipe table: which cell position holds which applicant column. */
function headerGrid(texts: TextLine[]): { grid: HeaderGrid | null; order: string[] | null; hasOrgSubtotal: boolean } {
  const byPos = new Map<number, string>();
  let best: { count: number; cells: number } = { count: 0, cells: 0 };
  let hasOrgSubtotal = false;
  for (const t of texts) {
    if (t.mode !== 'tab' && t.mode !== 'pipe') continue;
    let count = 0;
    t.cells.forEach((c, pos) => {
      const col = matchApplicantColumn(c);
      if (!col) return;
      if (col === 'org_subtotal') hasOrgSubtotal = true;
      byPos.set(pos, col);
      count++;
    });
    if (count > best.count) best = { count, cells: t.cells.length };
  }
  const cols = [...byPos.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
  const complete = APPLICANT_COLUMNS.every((c) => cols.includes(c)) && new Set(cols).size === cols.length;
  if (!complete) return { grid: null, order: null, hasOrgSubtotal };
  return { grid: { byPos, cellCount: best.cells }, order: cols, hasOrgSubtotal };
}

/** Longest strictly increasing run of template indices: labels out of sequence lose their anchor role. */
function increasingAnchors(items: Array<{ idx: number }>): Set<number> {
  const n = items.length;
  const len = new Array(n).fill(1);
  const prev = new Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (items[j].idx < items[i].idx && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
  }
  let end = -1;
  for (let i = 0; i < n; i++) if (end < 0 || len[i] > len[end]) end = i;
  const keep = new Set<number>();
  for (let i = end; i >= 0; i = prev[i]) keep.add(i);
  return keep;
}

/** Label from loose text before a record: the shortest tail of the text lines that names exactly one row. */
function labelFromPreText(pre: string[]): { rows: string[]; group: string | null; subtotal: boolean } {
  for (let k = 1; k <= Math.min(pre.length, 4); k++) {
    const m = matchApplicationRows(pre.slice(-k).join(''));
    if (m.rows.length || m.subtotal) return m;
  }
  return { rows: [], group: null, subtotal: false };
}

export function readApplications(lines: string[], from: number, to: number): ApplicationsResult {
  const out: ApplicationsResult = {
    found: false,
    layout: null,
    singleOtherRow: false,
    figures: {},
    blanks: [],
    subtotals: {},
    orgSubtotal: {},
    groupOnly: {},
    unread: [],
    warnings: [],
  };
  const walk = walkLines(lines, from, to);
  const regionText = squash(lines.slice(from, to).join('\n'));
  const firstRecordLine = walk.records[0]?.line ?? to;
  const head = headerGrid(walk.texts.filter((t) => t.line < firstRecordLine));
  const headText = walk.texts
    .filter((t) => t.line < firstRecordLine)
    .map((t) => t.text)
    .join('');
  const hasOrgSubtotal = head.hasOrgSubtotal || applicantColumnsInText(headText).includes('org_subtotal');
  const columns: string[] = head.order ?? [...APPLICANT_COLUMNS];
  if (hasOrgSubtotal && !head.order) {
    // Header text order is reading order, not column order (rowspan headers come first): without a grid the
    // eight columns cannot be told apart, so eight-value rows are left unread rather than guessed.
    out.warnings.push('table_damaged: applications: a 法人或其他组织 subtotal column is printed but the column order cannot be read');
  }

  const transposed = readTransposed(walk, out);
  if (transposed) return transposed;

  // 1. Label every record by its own cells, then (for text without cell structure) by the text before it.
  let group: string | null = null;
  const labeled: Labeled[] = [];
  for (const rec of walk.records) {
    for (const t of rec.preText) group = matchGroup(t) ?? group;
    // One or two loose numbers among label lines are debris (a lost cell's value, a footnote), not a row.
    if (rec.mode === 'plain' && rec.slots.length < 3) {
      out.warnings.push(
        `table_damaged: applications: stray value(s) ${rec.slots.map((s) => s.text).join(' ')} at line ${rec.line + 1} ignored`,
      );
      continue;
    }
    const own = matchApplicationRows(rec.label);
    let m = own;
    let via = 'label';
    if (own.rows.length === 0 && !own.subtotal && !own.group && (rec.mode === 'plain' || rec.mode === 'space')) {
      m = labelFromPreText(rec.preText);
      via = 'text before the row';
    }
    group = m.group ?? group;
    let rows = m.rows;
    if (rows.length > 1 && rows.includes('other')) rows = rows.filter((r) => r !== 'other');
    if (rows.includes('other_other') && rows.length > 1) rows = rows.filter((r) => r !== 'other_other');
    if (m.subtotal) {
      labeled.push({ rec, row: null, kind: 'subtotal', group: m.group ?? group, via });
    } else if (rows.length === 1) {
      labeled.push({ rec, row: rows[0], kind: 'row', group, via });
    } else if (rows.length === 0 && m.group && m.group !== 'other') {
      labeled.push({ rec, row: null, kind: 'group', group: m.group, via });
    } else {
      if (rows.length > 1)
        out.warnings.push(`table_damaged: applications: line ${rec.line + 1} label names several rows (${rows.join(', ')})`);
      labeled.push({ rec, row: null, kind: 'row', group, via: 'none' });
    }
  }
  if (!labeled.some((l) => l.row)) return out;
  out.found = true;

  // 2. Layout: the three （六） items (2021) or one （六）其他处理 row (2019).
  const has2021Items =
    labeled.some((l) => l.row && ['other_no_correction', 'other_unpaid', 'other_other'].includes(l.row)) ||
    /逾期不补正|收费通知|缴纳费用/.test(regionText);
  const rows: string[] = has2021Items ? [...APPLICATION_ROWS_2021] : [...APPLICATION_ROWS_2019];
  out.layout = has2021Items ? '2021' : labeled.some((l) => l.row === 'other' || l.row === 'other_other') ? '2019' : null;
  for (const l of labeled) {
    if (l.row === 'other_other' && !has2021Items) l.row = 'other';
    if (l.row === 'other' && has2021Items) {
      l.row = null;
      l.kind = 'subtotal';
      l.group = 'other';
    }
  }

  // 3. Anchors: labeled rows in template order; a row named twice with different values is lost.
  const rowIdx = (r: string) => rows.indexOf(r);
  const candidates = labeled.filter((l) => l.kind === 'row' && l.row !== null && rowIdx(l.row) >= 0);
  const seen = new Map<string, Labeled>();
  const dropped = new Set<Labeled>();
  for (const l of candidates) {
    const first = seen.get(l.row!);
    if (!first) {
      seen.set(l.row!, l);
      continue;
    }
    const same = JSON.stringify(first.rec.slots.map((s) => s.text)) === JSON.stringify(l.rec.slots.map((s) => s.text));
    dropped.add(l);
    if (!same) {
      dropped.add(first);
      out.warnings.push(`table_damaged: applications.${l.row}: printed twice with different values; row absent`);
    }
  }
  const anchorsIn = candidates.filter((l) => !dropped.has(l));
  const keep = increasingAnchors(anchorsIn.map((l) => ({ idx: rowIdx(l.row!) })));
  const anchors = anchorsIn.filter((_, k) => keep.has(k));
  for (const l of anchorsIn) {
    if (!anchors.includes(l)) {
      out.warnings.push(
        `table_damaged: applications: label "${l.rec.label || l.rec.preText.slice(-1)[0]}" out of template order; placed by position if possible`,
      );
      l.row = null;
      l.via = 'none';
    }
  }
  for (const l of dropped) l.kind = 'row';

  // 4. Unlabeled row-like records fill the gap between their neighbouring anchors when the counts agree.
  const assigned = new Map<Labeled, string>();
  for (const a of anchors) assigned.set(a, a.row!);
  const order = labeled;
  const anchorPos = anchors.map((a) => order.indexOf(a));
  const bounds = [-1, ...anchorPos, order.length];
  for (let g = 0; g + 1 < bounds.length; g++) {
    const lo = bounds[g];
    const hi = bounds[g + 1];
    const loRow = lo < 0 ? -1 : rowIdx(order[lo].row!);
    const hiRow = hi >= order.length ? rows.length : rowIdx(order[hi].row!);
    const gapRows = rows.slice(loRow + 1, hiRow);
    const loose = order.slice(lo + 1, hi).filter((l) => l.kind === 'row' && !assigned.has(l) && !dropped.has(l) && l.rec.slots.length >= 3);
    if (!loose.length) continue;
    if (loose.length === gapRows.length) {
      loose.forEach((l, k) => {
        assigned.set(l, gapRows[k]);
        out.warnings.push(`row_placed_by_position: applications.${gapRows[k]} (line ${l.rec.line + 1}: label missing or unreadable)`);
      });
    } else {
      out.warnings.push(
        `table_damaged: applications: ${loose.length} unlabeled row(s) between ${lo < 0 ? 'the header' : order[lo].row} and ${hi >= order.length ? 'the end' : order[hi].row} for ${gapRows.length} template row(s); dropped`,
      );
    }
  }

  // 5. Values.
  const lost: string[] = [];
  const blanks: string[] = [];
  const put = (row: string, values: Record<string, number>, blankCols: string[]) => {
    for (const [col, v] of Object.entries(values)) {
      if (col === 'org_subtotal') out.orgSubtotal[row] = v;
      else out.figures[`applications.${row}.${col}`] = v;
    }
    for (const col of blankCols) {
      if (col === 'org_subtotal') out.orgSubtotal[row] = null;
      else blanks.push(`applications.${row}.${col}`);
    }
  };
  for (const [l, row] of assigned) {
    const m = mapValues(l.rec, columns, head.grid);
    if (!m.ok) {
      lost.push(row);
      out.warnings.push(`table_damaged: applications.${row}: ${m.reason}; row absent`);
      continue;
    }
    for (const n of m.notes) out.warnings.push(`table_damaged: applications.${row}: ${n}`);
    out.unread.push(...m.unread.map((c) => `applications.${row}.${c}`));
    put(row, m.values, m.blanks);
  }
  // Subtotal rows and groups printed only as a subtotal: check operands, never figures.
  for (const l of labeled) {
    if (l.kind !== 'subtotal' && l.kind !== 'group') continue;
    const g = (l.group ?? null) as SubtotalGroup | null;
    if (!g) continue;
    const m = mapValues(l.rec, columns, head.grid);
    if (!m.ok) continue;
    const stated: Partial<Record<string, StatedValue>> = {};
    for (const c of APPLICANT_COLUMNS) {
      if (c in m.values) stated[c] = m.values[c];
      else if (m.blanks.includes(c)) stated[c] = null;
    }
    const itemsPresent = [...assigned.values()].some((r) => subtotalGroupOf(r) === g);
    if (l.kind === 'group' && !itemsPresent) {
      out.groupOnly[g] = stated;
      out.warnings.push(`group_subtotal_only: applications (${g}) printed only as a subtotal; its rows are absent`);
    } else out.subtotals[g] = stated;
  }

  // 6. Rows printed with every value cell blank (HTML &nbsp; rows): blanks, not zeros.
  const placed = new Set(assigned.values());
  for (const t of walk.texts) {
    if (t.mode !== 'tab' && t.mode !== 'pipe') continue;
    let last = -1;
    t.cells.forEach((c, k) => {
      if (c.trim() !== '' && !/^[-—/／无]+$/.test(c.trim())) last = k;
    });
    const after = t.cells.length - last - 1;
    if (last < 0 || after < columns.length) continue;
    const m = matchApplicationRows(t.cells.slice(0, last + 1).join(''));
    let row = m.rows.length === 1 ? m.rows[0] : null;
    if (row === 'other_other' && !has2021Items) row = 'other';
    if (!row || placed.has(row) || rowIdx(row) < 0) continue;
    placed.add(row);
    const slotCells = t.cells.slice(last + 1, last + 1 + columns.length);
    if (slotCells.length === columns.length) put(row, {}, columns.slice());
  }

  out.blanks = blanks;
  if (blanks.length) out.warnings.push(`blank_cells: ${blanks.length} cells printed blank, absent: ${blanks.join(', ')}`);
  const missingRows = rows.filter((r) => !placed.has(r) && !lost.includes(r));
  if (missingRows.length) out.warnings.push(`table_incomplete: applications rows not found: ${missingRows.join(', ')}`);
  if (lost.length) out.warnings.push(`table_damaged: applications rows lost: ${lost.join(', ')}`);
  return out;
}

/**
 * Table 三 transposed: applicant types as rows, outcomes as columns. Recognised only when a header row names
 * several outcome rows and at least three records are labeled by applicant type.
 */
function readTransposed(walk: ReturnType<typeof walkLines>, out: ApplicationsResult): ApplicationsResult | null {
  // `(七)总计`, `3.其他`, `2.其他法律…` name both a row and a column: only labels naming no row count here.
  const byType = walk.records.filter((r) => {
    const col = matchApplicantColumn(r.label);
    return (
      col &&
      col !== 'org_subtotal' &&
      (matchApplicationRows(r.label).rows.length === 0 || /^(其他|总计|合计)$/.test(stripNumbering(r.label)))
    );
  });
  // A 自然人 row is the mark of a transposed table: the template never labels a row by applicant type.
  if (byType.length < 3 || !byType.some((r) => matchApplicantColumn(r.label) === 'natural')) return null;
  let header: string[] = [];
  for (const t of walk.texts) {
    if (t.line > byType[0].line) break;
    const rows = t.cells
      .map((c) => matchApplicationRows(c).rows)
      .filter((r) => r.length === 1)
      .map((r) => r[0]);
    if (rows.length > header.length) header = rows;
  }
  if (header.length < 5 || new Set(header).size !== header.length) return null;
  const has2021 = header.some((r) => ['other_no_correction', 'other_unpaid', 'other_other'].includes(r));
  const keys = header.map((r) => (r === 'other_other' && !has2021 ? 'other' : r));
  out.found = true;
  out.layout = has2021 ? '2021' : keys.includes('other') ? '2019' : null;
  out.warnings.push('table_transposed: table 三 has applicant types as rows; read by meaning');
  for (const rec of byType) {
    const col = matchApplicantColumn(rec.label)!;
    const m = mapValues(rec, keys, null);
    if (!m.ok) {
      out.warnings.push(`table_damaged: applications (${col} row of a transposed table): ${m.reason}; row absent`);
      continue;
    }
    for (const [row, v] of Object.entries(m.values)) out.figures[`applications.${row}.${col}`] = v;
    out.unread.push(...m.unread.map((row) => `applications.${row}.${col}`));
    for (const row of m.blanks) out.blanks.push(`applications.${row}.${col}`);
  }
  if (out.blanks.length) out.warnings.push(`blank_cells: ${out.blanks.length} cells printed blank, absent: ${out.blanks.join(', ')}`);
  return out;
}
