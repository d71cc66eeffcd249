// Canonical figure keys, as documented in docs/figures.md. Keys never change meaning between versions;
// a new meaning gets a new key. Everything else (zod enums, checks, exports) derives from these lists.

export const APPLICANT_COLUMNS = ['natural', 'commercial', 'research', 'ngo', 'legal', 'other_org', 'total'] as const;
export type ApplicantColumn = (typeof APPLICANT_COLUMNS)[number];

/** Rows of table 三 shared by both formats, in template order (（六） differs, see below). */
const APPLICATION_ROWS_HEAD = [
  'new',
  'carried_over',
  'granted',
  'partial',
  'denied_secret',
  'denied_law',
  'denied_safety',
  'denied_third_party',
  'denied_internal',
  'denied_process',
  'denied_enforcement',
  'denied_query',
  'unable_not_held',
  'unable_create',
  'unable_unclear',
  'rejected_petition',
  'rejected_repeat',
  'rejected_publication',
  'rejected_excessive',
  'rejected_confirm',
] as const;
const APPLICATION_ROWS_TAIL = ['total', 'carried_forward'] as const;

export const APPLICATION_ROWS_2019 = [...APPLICATION_ROWS_HEAD, 'other', ...APPLICATION_ROWS_TAIL] as const;
export const APPLICATION_ROWS_2021 = [
  ...APPLICATION_ROWS_HEAD,
  'other_no_correction',
  'other_unpaid',
  'other_other',
  ...APPLICATION_ROWS_TAIL,
] as const;
export const APPLICATION_ROWS = [
  ...APPLICATION_ROWS_HEAD,
  'other',
  'other_no_correction',
  'other_unpaid',
  'other_other',
  ...APPLICATION_ROWS_TAIL,
] as const;
export type ApplicationRow = (typeof APPLICATION_ROWS)[number];

export const REVIEW_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export const REVIEW_SUFFIXES = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;

/** Table 二, 2019 format: [row prefix, column suffixes in printed order]. */
export const ACTIVE_2019: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['active.regulations', ['made', 'published', 'total']],
  ['active.normative_docs', ['made', 'published', 'total']],
  ['active.licensing', ['prev_items', 'change', 'decisions']],
  ['active.other_services', ['prev_items', 'change', 'decisions']],
  ['active.penalty', ['prev_items', 'change', 'decisions']],
  ['active.coercion', ['prev_items', 'change', 'decisions']],
  ['active.fees', ['prev_items', 'change']],
  ['active.procurement', ['projects', 'amount_yuan']],
];

/** Table 二, 2021 format. */
export const ACTIVE_2021: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['active.regulations', ['issued', 'repealed', 'in_force']],
  ['active.normative_docs', ['issued', 'repealed', 'in_force']],
  ['active.licensing', ['decisions']],
  ['active.penalty', ['decisions']],
  ['active.coercion', ['decisions']],
  ['active.fees', ['amount_wan']],
];

export const SUMMARY_KEYS = [
  'summary.active_items',
  'summary.applications',
  'summary.review_cases',
  'summary.litigation_cases',
  'summary.fees_yuan',
] as const;

const expand = (rows: ReadonlyArray<readonly [string, readonly string[]]>) =>
  rows.flatMap(([prefix, cols]) => cols.map((c) => `${prefix}.${c}`));

export const ACTIVE_KEYS_2019 = expand(ACTIVE_2019);
export const ACTIVE_KEYS_2021 = expand(ACTIVE_2021);
export const applicationKeys = (rows: readonly string[]) => rows.flatMap((r) => APPLICANT_COLUMNS.map((c) => `applications.${r}.${c}`));
export const REVIEW_KEYS = REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => `${g}.${s}`));

/** Every canonical key, each once. */
export const FIGURE_KEYS: readonly string[] = [
  ...new Set([...ACTIVE_KEYS_2019, ...ACTIVE_KEYS_2021, ...applicationKeys(APPLICATION_ROWS), ...REVIEW_KEYS, ...SUMMARY_KEYS]),
];
const FIGURE_KEY_SET = new Set(FIGURE_KEYS);
export const isFigureKey = (k: string): boolean => FIGURE_KEY_SET.has(k);

/** The keys a complete report of a format states in its tables. */
export function templateKeys(format: '2019' | '2021'): string[] {
  return format === '2019'
    ? [...ACTIVE_KEYS_2019, ...applicationKeys(APPLICATION_ROWS_2019), ...REVIEW_KEYS]
    : [...ACTIVE_KEYS_2021, ...applicationKeys(APPLICATION_ROWS_2021), ...REVIEW_KEYS];
}
