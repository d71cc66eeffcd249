// Table 二 (主动公开政府信息情况): rows named by their label cell; the k-th value maps to the k-th value header
// of its block (colspans of header and data rows may differ, so cell positions are not trusted).
import { activeColumnsInText, isActiveBlockHeader, matchActiveRow, squash, type ActiveColumnKey, type ActiveRowKey } from './labels.ts';
import { mapValues } from './map-values.ts';
import { walkLines } from './records.ts';

export type ActiveResult = {
  found: boolean;
  format: '2019' | '2021' | null;
  figures: Record<string, number>;
  blanks: string[];
  /** Keys whose cell holds a value that could not be read or placed. */
  unread: string[];
  warnings: string[];
};

type Header = Array<{ key: ActiveColumnKey; unit: '元' | '万元' | null }>;

const ALLOWED: Record<ActiveRowKey, ActiveColumnKey[]> = {
  regulations: ['made', 'published', 'total', 'issued', 'repealed', 'in_force'],
  normative_docs: ['made', 'published', 'total', 'issued', 'repealed', 'in_force'],
  licensing: ['prev_items', 'change', 'decisions'],
  other_services: ['prev_items', 'change', 'decisions'],
  penalty: ['prev_items', 'change', 'decisions'],
  coercion: ['prev_items', 'change', 'decisions'],
  fees: ['prev_items', 'change', 'amount_wan'],
  procurement: ['projects', 'amount'],
};

const TEMPLATE: Record<'2019' | '2021', Partial<Record<ActiveRowKey, ActiveColumnKey[]>>> = {
  '2019': {
    regulations: ['made', 'published', 'total'],
    normative_docs: ['made', 'published', 'total'],
    licensing: ['prev_items', 'change', 'decisions'],
    other_services: ['prev_items', 'change', 'decisions'],
    penalty: ['prev_items', 'change', 'decisions'],
    coercion: ['prev_items', 'change', 'decisions'],
    fees: ['prev_items', 'change'],
    procurement: ['projects', 'amount'],
  },
  '2021': {
    regulations: ['issued', 'repealed', 'in_force'],
    normative_docs: ['issued', 'repealed', 'in_force'],
    licensing: ['decisions'],
    penalty: ['decisions'],
    coercion: ['decisions'],
    fees: ['amount_wan'],
  },
};

const FORMAT_OF: Partial<Record<ActiveColumnKey, '2019' | '2021'>> = {
  made: '2019',
  published: '2019',
  total: '2019',
  prev_items: '2019',
  change: '2019',
  projects: '2019',
  amount: '2019',
  issued: '2021',
  repealed: '2021',
  in_force: '2021',
  amount_wan: '2021',
};

const keyOf = (row: ActiveRowKey, col: ActiveColumnKey) => `active.${row}.${col === 'amount' ? 'amount_yuan' : col}`;

const ROW_NAMES = [
  '其他对外管理服务事项',
  '行政规范性文件',
  '行政事业性收费',
  '政府集中采购',
  '规范性文件',
  '行政许可',
  '行政处罚',
  '行政强制',
  '规章',
];

/** A header row glued to the first data row by a text joiner: `信息内容 本年制发件数 … 现行有效件数规章`. */
function splitGluedHeader(label: string): { row: ActiveRowKey; header: string } | null {
  const s = squash(label);
  for (const name of ROW_NAMES) {
    if (!s.endsWith(name)) continue;
    const header = s.slice(0, -name.length);
    if (activeColumnsInText(header).length) return { row: matchActiveRow(name)!, header };
  }
  return null;
}

/**
 * Unlabeled value rows take the one template row missing between their labeled neighbours, when the counts
 * agree and the block's headers fit that row; otherwise they are dropped with a warning.
 */
function placeUnlabeled(reads: Array<{ row: ActiveRowKey | null; header: Header }>, out: ActiveResult): void {
  if (!reads.some((r) => !r.row)) return;
  const order = Object.keys(TEMPLATE[out.format ?? '2019']) as ActiveRowKey[];
  const idx = (r: ActiveRowKey) => order.indexOf(r);
  let lo = -1;
  let pending: typeof reads = [];
  const flush = (hiRow: number) => {
    if (!pending.length) return;
    const gap = order.slice(lo + 1, hiRow);
    const fits = gap.length === pending.length && pending.every((p, k) => p.header.every((c) => ALLOWED[gap[k]].includes(c.key)));
    if (fits) {
      pending.forEach((p, k) => {
        p.row = gap[k];
        out.warnings.push(`row_placed_by_position: active.${gap[k]} (label missing)`);
      });
    } else
      out.warnings.push(
        `table_damaged: active: ${pending.length} unlabeled row(s) where ${gap.length} template row(s) are missing; dropped`,
      );
    pending = [];
  };
  for (const r of reads) {
    if (!r.row) {
      pending.push(r);
      continue;
    }
    const i = idx(r.row);
    if (i < 0) continue;
    flush(i);
    lo = i;
  }
  flush(order.length);
}

export function readActive(lines: string[], from: number, to: number): ActiveResult {
  const out: ActiveResult = { found: false, format: null, figures: {}, blanks: [], unread: [], warnings: [] };
  const walk = walkLines(lines, from, to);
  const votes = { '2019': 0, '2021': 0 };
  let header: Header = [];
  type Read = { row: ActiveRowKey | null; rec: (typeof walk.records)[number]; header: Header };
  const reads: Read[] = [];

  for (const rec of walk.records) {
    // Header text since the last block header; a new 第二十条 block forgets the previous block's columns.
    let headerText: string[] = [];
    for (const t of rec.preText) {
      if (isActiveBlockHeader(t)) {
        header = [];
        headerText = [];
      }
      headerText.push(t);
    }
    const rowFromText = rec.label ? null : matchActiveRow(rec.preText[rec.preText.length - 1] ?? '');
    const glued = rec.label && !matchActiveRow(rec.label) ? splitGluedHeader(rec.label) : null;
    const row = matchActiveRow(rec.label) ?? glued?.row ?? rowFromText;
    const headerSource = rowFromText ? headerText.slice(0, -1) : glued ? [...headerText, glued.header] : headerText;
    const found = activeColumnsInText(headerSource.join(' '));
    if (found.length) header = found;
    for (const h of found) if (FORMAT_OF[h.key]) votes[FORMAT_OF[h.key]!]++;
    if (!row) {
      // Values with no label at all may be a row whose label was lost; placed later by the gap they sit in.
      if (!rec.label && header.length && rec.slots.some((x) => x.reading.kind === 'number')) reads.push({ row: null, rec, header });
      continue;
    }
    if (row === 'other_services' || row === 'procurement') votes['2019']++;
    reads.push({ row, rec, header });
  }
  if (!reads.some((r) => r.row)) return out;
  out.found = true;
  out.format = votes['2019'] > votes['2021'] ? '2019' : votes['2021'] > votes['2019'] ? '2021' : null;
  placeUnlabeled(reads, out);

  const seen = new Map<string, number>();
  const conflicted = new Set<string>();
  for (const { row, rec, header: h } of reads) {
    if (!row) continue;
    let cols: Header = h.filter((c) => ALLOWED[row].includes(c.key));
    if (cols.length !== h.length || cols.length === 0) {
      const fallback = out.format ? TEMPLATE[out.format][row] : undefined;
      if (!fallback) {
        out.warnings.push(`table_damaged: active.${row}: no column headers for this row; row absent`);
        continue;
      }
      cols = fallback.map((key) => ({ key, unit: null }));
    }
    const m = mapValues(
      rec,
      cols.map((c) => c.key),
      null,
    );
    if (!m.ok) {
      out.warnings.push(`table_damaged: active.${row}: ${m.reason} (${cols.map((c) => c.key).join(', ')}); row absent`);
      continue;
    }
    for (const n of m.notes) out.warnings.push(`table_damaged: active.${row}: ${n}`);
    out.unread.push(...m.unread.map((c) => keyOf(row, c as ActiveColumnKey)));
    for (const c of cols) {
      const key = keyOf(row, c.key);
      if (m.blanks.includes(c.key)) {
        out.blanks.push(key);
        continue;
      }
      if (!(c.key in m.values)) continue;
      let v = m.values[c.key];
      const cellUnit = m.money[c.key] ?? null;
      if (c.key === 'amount') {
        const unit = cellUnit ?? c.unit;
        if (unit === '万元') v = Math.round(v * 10000 * 100) / 100;
        else if (unit === null) {
          if (!Number.isInteger(v)) {
            v = Math.round(v * 10000 * 100) / 100;
            out.warnings.push(`unit_guessed: ${key}: no unit printed; ${m.values[c.key]} read as 万元`);
          } else {
            out.warnings.push(`unit_missing: ${key}: ${v} printed without a unit; absent`);
            continue;
          }
        }
      } else if (c.key === 'amount_wan') {
        const unit = cellUnit ?? c.unit;
        if (unit === '元') {
          v = v / 10000;
          out.warnings.push(`unit_converted: ${key}: printed in 元, converted to 万元`);
        }
      }
      if (seen.has(key) && seen.get(key) !== v) conflicted.add(key);
      seen.set(key, v);
      out.figures[key] = v;
    }
  }
  for (const key of conflicted) {
    delete out.figures[key];
    out.warnings.push(`table_damaged: ${key}: printed twice with different values; absent`);
  }
  if (out.blanks.length) out.warnings.push(`blank_cells: ${out.blanks.join(', ')} printed blank; absent`);
  return out;
}
