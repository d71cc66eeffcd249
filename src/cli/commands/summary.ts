import type { ArchiveStats } from '../../store/archive.ts';

// Plain-text tables for the terminal: label column padded, numbers as they are (people grep these).

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(1)} ${units[u]}`;
}

export function formatRows(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

export function formatByYear(byYear: Record<string, number>): string {
  const entries = Object.entries(byYear).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([y, n]) => `${y}: ${n}`).join(', ') : '—';
}

export function formatArchiveStats(s: ArchiveStats): [string, string | number][] {
  return [
    ['sites', s.sites],
    ['crawl runs', s.crawlRuns],
    ['fetches', s.fetches],
    ['snapshots', `${s.snapshots} (${formatBytes(s.snapshotBytes)} raw, ${formatBytes(s.snapshotStoredBytes)} stored)`],
    ['urls', s.urls],
    ['reports', s.reports],
    ['  by year', formatByYear(s.reportsByYear)],
    ['figures', formatFigureCounts(s)],
    ['parse runs', s.parseRuns],
    ['errors', s.errors],
  ];
}

export const pct = (num: number, den: number) => (den === 0 ? '—' : `${((100 * num) / den).toFixed(1)}%`);

/** Both counts, named after what they count: `v_figures` rows vs every parse run's rows of `figures`. */
export function formatFigureCounts(s: Pick<ArchiveStats, 'figures' | 'figureRows'>): string {
  return `${s.figures} in reports' latest parses (v_figures); ${s.figureRows} rows in figures (every parse run)`;
}
