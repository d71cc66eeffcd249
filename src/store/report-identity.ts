import type { ParseResult } from '../schema/index.ts';
import type { FigureChange, ReportRow } from './types.ts';

// When two documents are the same report, and how their figures differ. Pure functions.

export interface Identity {
  year: number | null;
  regionCode: string | null;
  issuer: string | null;
}

export const identityOf = (r: ParseResult): Identity => ({ year: r.year, regionCode: r.region.code, issuer: r.issuer });

const squash = (s: string) => s.replace(/\s+/g, '');

/** Nothing known contradicts "same document": unknowns never do; issuers may differ by a suffix (人民政府 / 人民政府办公室). */
export function compatible(r: Pick<ReportRow, 'year' | 'region_code' | 'issuer'>, id: Identity): boolean {
  if (r.year !== null && id.year !== null && r.year !== id.year) return false;
  if (r.region_code !== null && id.regionCode !== null && r.region_code !== id.regionCode) return false;
  if (r.issuer && id.issuer) {
    const a = squash(r.issuer);
    const b = squash(id.issuer);
    if (!a.includes(b) && !b.includes(a)) return false;
  }
  return true;
}

export function diffFigures(before: Record<string, number>, after: Record<string, number>): FigureChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => before[k] !== after[k])
    .map((k) => ({ key: k, before: k in before ? before[k] : null, after: k in after ? after[k] : null }));
}

/** null when there is nothing to compare (one side read no figures or they share no key). */
export function compareFigures(primary: Record<string, number>, other: Record<string, number>) {
  const common = Object.keys(primary).filter((k) => k in other);
  if (common.length === 0) return null;
  const conflicts = Object.fromEntries(
    common.filter((k) => primary[k] !== other[k]).map((k) => [k, { primary: primary[k], source: other[k] }]),
  );
  return {
    agrees: Object.keys(conflicts).length === 0,
    diff: {
      conflicts,
      missingInSource: Object.keys(primary).filter((k) => !(k in other)),
      extraInSource: Object.keys(other).filter((k) => !(k in primary)),
    },
  };
}
