// readTables: tables 二 三 四 from body text in any of the input shapes of docs/report-formats.md §6.
// Pure and synchronous. Regions are found by header meaning; each table has its own reader.
import { isFigureKey } from '../../schema/figure-keys.ts';
import type { Check } from '../../schema/parse-result.ts';
import { evaluateChecks, type StatedValue, type SubtotalGroup } from '../checks.ts';
import { readActive } from './read-active.ts';
import { readApplications } from './read-applications.ts';
import { readReview } from './read-review.ts';
import { findRegions } from './find-regions.ts';
import { expandJoinedCells } from './joined-cells.ts';

export type TablesResult = {
  /** From table 二's headers and table 三's （六） rows; null when neither says. */
  format: '2019' | '2021' | null;
  found: { active: boolean; applications: boolean; review: boolean };
  /** Canonical keys only, only cells actually read. */
  figures: Record<string, number>;
  /** Keys whose cells are printed blank: absent from figures, 0 in checks. */
  blanks: string[];
  /** Stated subtotals (no figure key), used only by checks. */
  subtotals: {
    rows: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
    orgColumn: Partial<Record<string, StatedValue>>;
    groupOnly: Partial<Record<SubtotalGroup, Partial<Record<string, StatedValue>>>>;
  };
  /** A 2021-format report whose table 三 prints （六）其他处理 as one row (read as applications.other.*). */
  singleOtherRowIn2021: boolean;
  checks: Check[];
  warnings: string[];
};

/** `collapsed`: the body was restored from one-line text (reline.ts), where spaces no longer separate cells. */
export function readTables(body: string, opts: { collapsed?: boolean } = {}): TablesResult {
  const joined = expandJoinedCells(body.replace(/\r\n?/g, '\n').split('\n'), opts);
  const lines = joined.lines;
  const regions = findRegions(lines);
  const warnings: string[] = [...joined.warnings];

  const active = regions.active ? readActive(lines, regions.active[0], regions.active[1]) : null;
  const apps = regions.applications ? readApplications(lines, regions.applications[0], regions.applications[1]) : null;
  const review = regions.review ? readReview(lines, regions.review[0], regions.review[1]) : null;

  const activeFormat = active?.found ? active.format : null;
  const appsLayout = apps?.found ? apps.layout : null;
  let format: '2019' | '2021' | null = activeFormat ?? appsLayout;
  let singleOther = false;
  if (activeFormat === '2021' && appsLayout === '2019') {
    singleOther = true;
    warnings.push('single_other_row: table 三 prints （六）其他处理 as one row in 2021-format tables; read as applications.other.*');
  } else if (activeFormat === '2019' && appsLayout === '2021') {
    warnings.push('format_mixed: table 二 is in the 2019 format but table 三 has the 2021 （六） rows');
    format = '2019';
  }

  const figures: Record<string, number> = {};
  const blanks: string[] = [];
  for (const part of [active, apps, review]) {
    if (!part) continue;
    for (const [k, v] of Object.entries(part.figures)) if (isFigureKey(k)) figures[k] = v;
    blanks.push(...part.blanks);
    warnings.push(...part.warnings);
  }
  // Cells holding a value that could not be read or placed (glued digits, a PDF value between two columns).
  const unread = [active, apps, review]
    .flatMap((p) => p?.unread ?? [])
    .filter((k) => isFigureKey(k) && !joined.warnings.some((w) => w.includes(k)));
  if (unread.length)
    warnings.push(`cells_unplaced: ${unread.join(', ')}: a value is printed but its column cannot be told with certainty; left out`);
  if (format === '2019') {
    for (const p of ['regulations', 'normative_docs'] as const) {
      const pub = figures[`active.${p}.published`];
      const tot = figures[`active.${p}.total`];
      if (pub !== undefined && tot !== undefined && tot < pub) {
        warnings.push(`implausible: active.${p}.total ${tot} < active.${p}.published ${pub}`);
      }
    }
  }
  const found = { active: !!active?.found, applications: !!apps?.found, review: !!review?.found };
  if (!found.active && !found.applications && !found.review) warnings.push('tables_missing: no template table found');
  else {
    const missing = Object.entries(found)
      .filter(([, f]) => !f)
      .map(([t]) => t);
    if (missing.length) warnings.push(`tables_missing: ${missing.join(', ')}`);
  }

  let checks: Check[] = [];
  if ((found.applications || found.review) && (format ?? appsLayout)) {
    const r = evaluateChecks((format ?? appsLayout)!, figures, {
      blanks,
      subtotals: apps?.subtotals,
      orgSubtotal: apps && Object.keys(apps.orgSubtotal).length ? apps.orgSubtotal : undefined,
      groupOnly: apps?.groupOnly,
      singleOtherRow: singleOther,
      tables: { applications: found.applications, review: found.review },
    });
    checks = r.checks;
    warnings.push(...r.warnings);
  } else if (found.review) {
    const r = evaluateChecks('2021', figures, { blanks, tables: { applications: false, review: true } });
    checks = r.checks;
    warnings.push(...r.warnings);
  }

  return {
    format,
    found,
    figures,
    blanks,
    subtotals: { rows: apps?.subtotals ?? {}, orgColumn: apps?.orgSubtotal ?? {}, groupOnly: apps?.groupOnly ?? {} },
    singleOtherRowIn2021: singleOther,
    checks,
    warnings,
  };
}
