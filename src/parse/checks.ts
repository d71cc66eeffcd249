// The arithmetic identities of docs/report-formats.md §4, evaluated on the figures as read.
// Checks only report; they never create, move or correct a value.
import { APPLICANT_COLUMNS, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021, REVIEW_GROUPS } from '../schema/figure-keys.ts';
import type { Check } from '../schema/parse-result.ts';

export type SubtotalGroup = 'denied' | 'unable' | 'rejected' | 'other';

/** The subtotal group (不予公开, 无法提供, 不予处理, 其他处理) a table-三 outcome row belongs to, if any. */
export const subtotalGroupOf = (row: string): SubtotalGroup | null =>
  row.startsWith('denied_')
    ? 'denied'
    : row.startsWith('unable_')
      ? 'unable'
      : row.startsWith('rejected_')
        ? 'rejected'
        : row === 'other' || row.startsWith('other_')
          ? 'other'
          : null;

/** A stated value that has no figure key: a number, or `null` when printed blank. */
export type StatedValue = number | null;

export type CheckExtras = {
  /** Keys printed blank (`&nbsp;`, `—`, empty cell): 0 in a check, absent from figures. */
  blanks?: Iterable<string>;
  /** Stated subtotal rows of table 三, per group and applicant column. */
  subtotals?: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
  /** Stated 法人或其他组织 subtotal column, per table-三 row. */
  orgSubtotal?: Partial<Record<string, StatedValue>>;
  /** Groups printed only as a subtotal row (no numbered rows): they enter total_rows as that subtotal. */
  groupOnly?: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
  /** A 2021 table that keeps the single 2019 （六）其他处理 row. */
  singleOtherRow?: boolean;
  /** Tables present in the document; identities of an absent table are neither evaluated nor listed. */
  tables?: { applications: boolean; review: boolean };
};

export type ChecksResult = { checks: Check[]; warnings: string[]; skipped: string[] };

const GROUP_ROWS: Record<SubtotalGroup, (fmt: '2019' | '2021') => string[]> = {
  denied: () => APPLICATION_ROWS_2019.filter((r) => r.startsWith('denied_')),
  unable: () => APPLICATION_ROWS_2019.filter((r) => r.startsWith('unable_')),
  rejected: () => APPLICATION_ROWS_2019.filter((r) => r.startsWith('rejected_')),
  other: (fmt) => (fmt === '2021' ? ['other_no_correction', 'other_unpaid', 'other_other'] : ['other']),
};
const ORG_COLUMNS = ['commercial', 'research', 'ngo', 'legal', 'other_org'];

/** `total` marks a stated total: when it is blank the check is not evaluable (a blank summand counts as 0). */
type Operand =
  | { kind: 'value'; value: number; name: string; blank: boolean; note?: string; total?: boolean }
  | { kind: 'lost'; name: string; total?: boolean };

/** One identity: summands on the left, stated totals on the right. */
type Identity = { rule: string; left: Operand[]; right: Operand[] };

const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

function evaluate(id: Identity): { check: Check | null } {
  const all = [...id.left, ...id.right];
  if (all.some((o) => o.kind === 'lost')) return { check: null };
  if (all.some((o) => o.kind === 'value' && o.blank && o.total)) return { check: null };
  const vals = (ops: Operand[]) => ops.map((o) => (o.kind === 'value' ? o.value : 0));
  const l = vals(id.left);
  const r = vals(id.right);
  const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
  const diff = Math.round((sum(l) - sum(r)) * 1e6) / 1e6;
  const ok = diff === 0;
  let detail = `${l.map(fmt).join(' + ')} ${ok ? '=' : '≠'} ${r.map(fmt).join(' + ')}`;
  if (!ok) detail += ` (diff ${fmt(diff)})`;
  const blanks = all.filter((o) => o.kind === 'value' && o.blank).map((o) => o.name);
  if (blanks.length) detail += ` (blank as 0: ${[...new Set(blanks)].join(', ')})`;
  const notes = all.flatMap((o) => (o.kind === 'value' && o.note ? [o.note] : []));
  if (notes.length) detail += ` (${[...new Set(notes)].join('; ')})`;
  return { check: { rule: id.rule, ok, detail } };
}

/** Evaluate every identity of the format; see docs/report-formats.md §4 for the rules and detail format. */
export function evaluateChecks(format: '2019' | '2021', figures: Record<string, number>, extras: CheckExtras = {}): ChecksResult {
  const blanks = new Set(extras.blanks ?? []);
  // Cells of a 总计 column are stated totals wherever they appear: blank there is not evaluable.
  const op = (key: string, name: string): Operand => {
    const total = key.endsWith('.total') || undefined;
    if (key in figures) return { kind: 'value', value: figures[key], name, blank: false, total };
    if (blanks.has(key)) return { kind: 'value', value: 0, name, blank: true, total };
    return { kind: 'lost', name, total };
  };
  const stated = (v: StatedValue | undefined, name: string): Operand =>
    v === undefined
      ? { kind: 'lost', name }
      : v === null
        ? { kind: 'value', value: 0, name, blank: true }
        : { kind: 'value', value: v, name, blank: false };

  const singleOther = format === '2019' || !!extras.singleOtherRow;
  const rows = format === '2019' || singleOther ? [...APPLICATION_ROWS_2019] : [...APPLICATION_ROWS_2021];
  const resultRows = rows.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
  const groupFmt = singleOther ? '2019' : format;

  const T = (o: Operand): Operand => ({ ...o, total: true });
  const identities: Identity[] = [];
  const a = (row: string, col: string) => `applications.${row}.${col}`;
  for (const col of APPLICANT_COLUMNS) {
    identities.push({
      rule: `applications.balance.${col}`,
      left: [op(a('new', col), 'new'), op(a('carried_over', col), 'carried_over')],
      right: [T(op(a('total', col), 'total')), op(a('carried_forward', col), 'carried_forward')],
    });

    const left: Operand[] = [];
    const done = new Set<SubtotalGroup>();
    for (const row of resultRows) {
      const g = subtotalGroupOf(row);
      const only = g ? extras.groupOnly?.[g] : undefined;
      if (g && only) {
        if (done.has(g)) continue;
        done.add(g);
        const o = stated(only[col], `${g} subtotal`);
        if (o.kind === 'value') o.note = `${g} printed only as a subtotal`;
        left.push(o);
        continue;
      }
      left.push(op(a(row, col), row));
    }
    identities.push({ rule: `applications.total_rows.${col}`, left, right: [T(op(a('total', col), 'total'))] });

    for (const g of ['denied', 'unable', 'rejected', 'other'] as SubtotalGroup[]) {
      const sub = extras.subtotals?.[g];
      if (!sub || !(col in sub)) continue;
      if (g === 'other' && groupFmt === '2019') continue;
      identities.push({
        rule: `applications.${g}_subtotal.${col}`,
        left: GROUP_ROWS[g](groupFmt).map((r) => op(a(r, col), r)),
        right: [T(stated(sub[col], `${g} subtotal`))],
      });
    }
  }
  for (const row of rows) {
    identities.push({
      rule: `applications.total_col.${row}`,
      left: APPLICANT_COLUMNS.filter((c) => c !== 'total').map((c) => op(a(row, c), c)),
      right: [T(op(a(row, 'total'), 'total'))],
    });
  }
  if (extras.orgSubtotal) {
    for (const row of rows) {
      if (!(row in extras.orgSubtotal)) continue;
      identities.push({
        rule: `applications.org_subtotal.${row}`,
        left: ORG_COLUMNS.map((c) => op(a(row, c), c)),
        right: [T(stated(extras.orgSubtotal[row], 'org subtotal'))],
      });
    }
  }
  for (const g of REVIEW_GROUPS) {
    identities.push({
      rule: `${g}.total`,
      left: ['upheld', 'corrected', 'other', 'pending'].map((s) => op(`${g}.${s}`, s)),
      right: [T(op(`${g}.total`, 'total'))],
    });
  }

  const present = extras.tables ?? { applications: true, review: true };
  const relevant = identities.filter((id) => (id.rule.startsWith('applications.') ? present.applications : present.review));
  const checks: Check[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  for (const id of relevant) {
    const { check } = evaluate(id);
    if (!check) {
      skipped.push(id.rule);
      continue;
    }
    checks.push(check);
    if (!check.ok) warnings.push(`check_failed: ${check.rule}: ${check.detail}`);
  }
  if (skipped.length) {
    warnings.push(`checks_skipped: ${skipped.length} not evaluable (operand lost or stated total blank): ${skipped.join(', ')}`);
  }
  return { checks, warnings, skipped };
}

/** The contract form: only the checks. */
export function runChecks(format: '2019' | '2021', figures: Record<string, number>, extras: CheckExtras = {}): Check[] {
  return evaluateChecks(format, figures, extras).checks;
}
