// Table rows whose cells arrive glued with no separator (`行政许可396442278`, `一、本年新收…数量 713000074`): text
// archives drop the cell boundaries. The digits are cut back into cells only where the format makes the cut
// certain: every number well-formed (no leading zeros), each row's own identity (table 三: 总计 = sum of the six
// applicant columns; table 四: 总计 = 维持 + 纠正 + 其他 + 尚未审结), then the column identities between rows of
// table 三 (new + carried_over = total + carried_forward; total = sum of the outcome rows). A cell is read only
// when every cut that survives gives it the same value; the others are left out with a warning naming them.
// Runs before the table readers, rewriting such lines as tab rows (an unread cell is UNREAD_CELL).
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  REVIEW_SUFFIXES,
} from '../../schema/figure-keys.ts';
import {
  matchActiveRow,
  matchApplicationRows,
  matchReviewGroup,
  reviewColumnsInText,
  stripNumbering,
  type ActiveRowKey,
} from './labels.ts';
import { UNREAD_CELL } from './records.ts';

export type ColumnKind = 'count' | 'signed' | 'money';

const PART: Record<ColumnKind, RegExp> = {
  count: /^(?:0|[1-9]\d*)$/,
  signed: /^[-+]?(?:0|[1-9]\d*)$/,
  money: /^(?:0|[1-9]\d*)(?:\.\d+)?$/,
};
const MAX_PART_DIGITS = 10;
const MAX_CANDIDATES = 5000;

/**
 * Every way to cut space-separated digit runs into one well-formed number per column (a cut never crosses a
 * space). Null when there are more than MAX_CANDIDATES ways: too many to reason about.
 */
export function splitDigits(chunks: string[], kinds: ColumnKind[], accept?: (v: number[]) => boolean): number[][] | null {
  const out: number[][] = [];
  const acc: number[] = [];
  let overflow = false;
  const restLen = chunks.map((_, i) => chunks.slice(i + 1).reduce((n, c) => n + c.length, 0));
  const rec = (ci: number, pos: number, k: number): void => {
    if (overflow) return;
    if (k === kinds.length) {
      if (ci === chunks.length && (!accept || accept(acc))) {
        out.push([...acc]);
        if (out.length > MAX_CANDIDATES) overflow = true;
      }
      return;
    }
    if (ci >= chunks.length) return;
    const c = chunks[ci];
    const colsLeft = kinds.length - k;
    if (colsLeft < chunks.length - ci) return; // every chunk holds at least one cell
    if (colsLeft > c.length - pos + restLen[ci]) return; // every cell holds at least one character
    for (let end = pos + 1; end <= c.length && end - pos <= MAX_PART_DIGITS + 2; end++) {
      const part = c.slice(pos, end);
      if (!PART[kinds[k]].test(part)) continue;
      acc.push(Number(part));
      if (end === c.length) rec(ci + 1, 0, k + 1);
      else rec(ci, end, k + 1);
      acc.pop();
    }
  };
  rec(0, 0, 0);
  return overflow ? null : out;
}

type Table = 'applications' | 'active' | 'review';
type JoinedRow = {
  line: number;
  label: string;
  digits: string;
  table: Table;
  row: string;
  keys: string[];
  /** Candidate cuts after the row's own identity; null = too many to enumerate. */
  candidates: number[][] | null;
  /** Whether the cut needed an identity (more than one well-formed cut without it). */
  neededIdentity: boolean;
};

const ACTIVE_2019: Partial<Record<ActiveRowKey, Array<[string, ColumnKind]>>> = {
  regulations: [
    ['made', 'count'],
    ['published', 'count'],
    ['total', 'count'],
  ],
  normative_docs: [
    ['made', 'count'],
    ['published', 'count'],
    ['total', 'count'],
  ],
  licensing: [
    ['prev_items', 'count'],
    ['change', 'signed'],
    ['decisions', 'count'],
  ],
  other_services: [
    ['prev_items', 'count'],
    ['change', 'signed'],
    ['decisions', 'count'],
  ],
  penalty: [
    ['prev_items', 'count'],
    ['change', 'signed'],
    ['decisions', 'count'],
  ],
  coercion: [
    ['prev_items', 'count'],
    ['change', 'signed'],
    ['decisions', 'count'],
  ],
  fees: [
    ['prev_items', 'count'],
    ['change', 'signed'],
  ],
  procurement: [
    ['projects', 'count'],
    ['amount_yuan', 'money'],
  ],
};
const ACTIVE_2021: Partial<Record<ActiveRowKey, Array<[string, ColumnKind]>>> = {
  regulations: [
    ['issued', 'count'],
    ['repealed', 'count'],
    ['in_force', 'count'],
  ],
  normative_docs: [
    ['issued', 'count'],
    ['repealed', 'count'],
    ['in_force', 'count'],
  ],
  licensing: [['decisions', 'count']],
  penalty: [['decisions', 'count']],
  coercion: [['decisions', 'count']],
  fees: [['amount_wan', 'money']],
};

const REVIEW_KEYS = REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => `${g}.${s}`));
/** 总计 = the four before it, for each group of five. */
const groupsOfFiveAddUp = (v: number[]) => {
  for (let g = 0; g + 5 <= v.length; g += 5) if (v[g] + v[g + 1] + v[g + 2] + v[g + 3] !== v[g + 4]) return false;
  return true;
};
const rowTotalAddsUp = (v: number[]) => v.slice(0, 6).reduce((a, b) => a + b, 0) === v[6];

const GLUED = /^(.*[^\d\s.+-])(\s*)([-+]?\d[\d\s.+-]*)$/;

function formatHints(text: string): { active: '2019' | '2021' | null; apps2021: boolean } {
  const s = text.replace(/\s+/g, '');
  const f21 = /本年制发件数|本年废止件数|现行有效件数|本年收费金额/.test(s);
  const f19 = /本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购/.test(s);
  return { active: f21 && !f19 ? '2021' : f19 && !f21 ? '2019' : null, apps2021: /逾期不补正|收费通知|缴纳费用/.test(s) };
}

function cutCount(chunks: string[], kinds: ColumnKind[]): number {
  const all = splitDigits(chunks, kinds);
  return all === null ? Infinity : all.length;
}

/** A glued row of table 三, 二 or 四 on one line, or null. */
function joinedRowOf(
  line: string,
  i: number,
  lines: string[],
  hints: ReturnType<typeof formatHints>,
  collapsed: boolean,
): JoinedRow | null {
  if (line.includes('\t') || line.trim().startsWith('|')) return null;
  const t = line.trim();
  // A row of digits alone (table 四's values under its header) has no label.
  const m = GLUED.exec(t) ?? (/^\d[\d\s]*$/.test(t) ? [t, '', ' ', t] : null);
  if (!m) return null;
  const label = m[1].trim();
  const digits = m[3].trim();
  const gluedToLabel = m[2] === '';
  const chunks = digits.split(/\s+/);
  // Digits or blank marks inside a row name (beyond its numbering) are cells of the row, not its label.
  if (/[\d—–/／]/.test(stripNumbering(label).replace(/\d{1,2}[.、．](?=\p{Script=Han})/gu, ''))) return null;
  // Blank marks or numbers standing apart in the label part: a space-separated row with blanks, not glued cells.
  if (label.split(/\s+/).some((tok) => /^(?:[-—–/／~～]+|[-+]?\d[\d.,]*)$/.test(tok))) return null;
  // Outside collapsed text, runs separated by spaces are cells already (a row with a lost cell is not glued).
  if (!collapsed && chunks.length > 1) return null;
  const make = (table: Table, row: string, keys: string[], kinds: ColumnKind[], identity?: (v: number[]) => boolean): JoinedRow | null => {
    // As many runs as cells: an ordinary space-separated row, read by the table readers as it is.
    if (chunks.length > kinds.length || (chunks.length === kinds.length && !gluedToLabel)) return null;
    const plain = cutCount(chunks, kinds);
    const candidates = splitDigits(chunks, kinds, identity);
    return { line: i, label, digits, table, row, keys, candidates, neededIdentity: plain > 1 };
  };

  // Table 四 first: its header text (…尚未审结总计) would otherwise read as table 三's （七）总计 row.
  const group = matchReviewGroup(label);
  if (group && reviewColumnsInText(label).length < 5) {
    return make(
      'review',
      group,
      REVIEW_SUFFIXES.map((s) => `${group}.${s}`),
      REVIEW_SUFFIXES.map(() => 'count'),
      groupsOfFiveAddUp,
    );
  }
  const headerAbove = [label, ...lines.slice(Math.max(0, i - 3), i)].some((t) => reviewColumnsInText(t).length >= 5);
  if (headerAbove && digits.replace(/\D/g, '').length >= 15) {
    return make(
      'review',
      'all',
      REVIEW_KEYS,
      REVIEW_KEYS.map(() => 'count'),
      groupsOfFiveAddUp,
    );
  }
  if (reviewColumnsInText(label).length >= 5) return null;

  const app = matchApplicationRows(label);
  if (!app.subtotal && app.rows.length >= 1) {
    let rows = app.rows;
    if (rows.length > 1 && rows.includes('other')) rows = rows.filter((r) => r !== 'other');
    if (rows.length > 1 && rows.includes('other_other')) rows = rows.filter((r) => r !== 'other_other');
    if (rows.length === 1) {
      let row = rows[0];
      if (row === 'other_other' && !hints.apps2021) row = 'other';
      if (row === 'other' && hints.apps2021) return null; // the （六） group header of a 2021 table
      const keys = APPLICANT_COLUMNS.map((c) => `applications.${row}.${c}`);
      return make(
        'applications',
        row,
        keys,
        APPLICANT_COLUMNS.map(() => 'count'),
        rowTotalAddsUp,
      );
    }
  }
  const activeRow = matchActiveRow(label);
  if (activeRow) {
    const spec = hints.active === '2021' ? ACTIVE_2021[activeRow] : hints.active === '2019' ? ACTIVE_2019[activeRow] : undefined;
    if (!spec) return null;
    return make(
      'active',
      activeRow,
      spec.map(([c]) => `active.${activeRow}.${c}`),
      spec.map(([, k]) => k),
    );
  }
  return null;
}

type Identity = Array<[string, number]>; // [row, coefficient]: Σ coef × value = 0, per applicant column

function applicationIdentities(rows: readonly string[]): Identity[] {
  const outcomes = rows.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
  return [
    [
      ['new', 1],
      ['carried_over', 1],
      ['total', -1],
      ['carried_forward', -1],
    ],
    [['total', 1], ...outcomes.map((r): [string, number] => [r, -1])],
  ];
}

/**
 * Removes cuts no solution of the column identities can use (bounds reasoning, to a fixpoint). Returns false
 * when some row is left with no cut at all: the report's own arithmetic does not hold, so the identities
 * cannot be trusted to choose.
 */
function propagate(domains: Map<string, number[][]>, identities: Identity[], width: number): boolean {
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of identities) {
      if (!id.every(([r]) => domains.has(r))) continue;
      for (let c = 0; c < width; c++) {
        const range = id.map(([r, coef]) => {
          const vals = domains.get(r)!.map((v) => coef * v[c]);
          return [Math.min(...vals), Math.max(...vals)];
        });
        const lo = range.reduce((a, [x]) => a + x, 0);
        const hi = range.reduce((a, [, y]) => a + y, 0);
        id.forEach(([r, coef], k) => {
          const d = domains.get(r)!;
          const otherLo = lo - range[k][0];
          const otherHi = hi - range[k][1];
          const kept = d.filter((v) => coef * v[c] + otherLo <= 0 && coef * v[c] + otherHi >= 0);
          if (kept.length !== d.length) {
            domains.set(r, kept);
            changed = true;
          }
        });
        if (id.some(([r]) => domains.get(r)!.length === 0)) return false;
      }
    }
  }
  return true;
}

export type JoinedResult = { lines: string[]; warnings: string[] };

/** Rewrites glued table rows as tab rows where the cut is certain; warns, naming the keys, where it is not. */
export function expandJoinedCells(lines: string[], opts: { collapsed?: boolean } = {}): JoinedResult {
  const hints = formatHints(lines.join('\n'));
  const found: JoinedRow[] = [];
  lines.forEach((l, i) => {
    const r = joinedRowOf(l, i, lines, hints, !!opts.collapsed);
    if (r) found.push(r);
  });
  if (!found.length) return { lines, warnings: [] };
  const warnings: string[] = [];

  // Table 三: the column identities narrow the cuts of rows their own total left open.
  const apps = found.filter((r) => r.table === 'applications' && r.candidates);
  const byRow = new Map<string, number[][]>();
  const twice = new Set<string>();
  for (const r of apps) byRow.has(r.row) ? twice.add(r.row) : byRow.set(r.row, r.candidates!);
  for (const r of twice) byRow.delete(r);
  if (apps.some((r) => r.candidates!.length > 1) && byRow.size > 2) {
    const trial = new Map([...byRow].map(([k, v]) => [k, [...v]]));
    const rowList = hints.apps2021 ? APPLICATION_ROWS_2021 : APPLICATION_ROWS_2019;
    if (propagate(trial, applicationIdentities(rowList), APPLICANT_COLUMNS.length)) {
      for (const r of apps) if (trial.has(r.row) && !twice.has(r.row)) r.candidates = trial.get(r.row)!;
    } else {
      warnings.push(
        "cells_joined: the table-三 identities do not hold for the joined rows; only each row's own total was used to cut them",
      );
    }
  }

  const out = [...lines];
  const certain: string[] = [];
  for (const r of found) {
    const n = r.keys.length;
    const cells: string[] = [];
    const lost: string[] = [];
    for (let c = 0; c < n; c++) {
      const values = r.candidates ? [...new Set(r.candidates.map((v) => v[c]))] : [];
      if (values.length === 1) cells.push(String(values[0]));
      else {
        cells.push(UNREAD_CELL);
        lost.push(r.keys[c]);
      }
    }
    if (lost.length) {
      const why =
        r.candidates === null
          ? 'too many ways to cut them'
          : r.candidates.length === 0
            ? r.table === 'active'
              ? 'no well-formed cut'
              : 'no cut satisfies the identities'
            : `${r.candidates.length} cuts fit`;
      warnings.push(`cells_joined_ambiguous: ${lost.join(', ')}: cells printed with no separator ("${r.digits}"), ${why}; left out`);
    }
    const rows = [...new Set(r.keys.map((k) => `${k.replace(/\.[^.]+$/, '')}.*`))].join(', ');
    if (r.neededIdentity && lost.length < n) certain.push(`${rows} ("${r.digits}")`);
    out[r.line] = [r.label, ...cells].join('\t');
  }
  if (certain.length) {
    warnings.push(`cells_joined: cells printed with no separator, cut where the identities allow one reading only: ${certain.join(', ')}`);
  }
  return { lines: out, warnings };
}
