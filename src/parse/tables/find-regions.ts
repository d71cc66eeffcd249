// Where tables 二 三 四 sit in the body: found by their header meaning, never by section numerals.
import { matchActiveRow, matchApplicationRows, squash } from './labels.ts';

export type Range = [number, number];
export type Regions = { active: Range | null; applications: Range | null; review: Range | null };

/** Table cells and headings are short; prose paragraphs are not. */
const short = (line: string, max = 60) => line.includes('\t') || line.trim().startsWith('|') || squash(line).length <= max;
const hasDigit = (line: string) => /\d/.test(line);

export function findRegions(lines: string[]): Regions {
  const sq = lines.map(squash);
  const find = (from: number, pred: (i: number) => boolean): number => {
    for (let i = Math.max(0, from); i < lines.length; i++) if (pred(i)) return i;
    return -1;
  };

  const t2 = find(0, (i) => short(lines[i]) && (/第二十条/.test(sq[i]) || /^信息内容/.test(sq[i])));
  let t3 = find(0, (i) => short(lines[i], 80) && /勾稽关系|申请人情况/.test(sq[i]));
  if (t3 < 0) {
    t3 = find(
      0,
      (i) => short(lines[i], 80) && hasDigit(lines[i]) && matchApplicationRows(lines[i].replace(/[\d\s|\t]+$/, '')).rows.includes('new'),
    );
  }
  const t4From = t3 >= 0 ? t3 : Math.max(t2, 0);
  const t4 = find(
    t4From,
    (i) => short(lines[i], 40) && (/行政复议/.test(sq[i]) || (/复议/.test(sq[i]) && /诉讼/.test(sq[i]))) && !/^\d+$/.test(sq[i]),
  );
  const end4 =
    t4 >= 0
      ? (() => {
          const e = find(t4 + 1, (i) => short(lines[i], 40) && /存在的?主要问题|问题及|改进情况|下一步|其他需要报告|主要问题/.test(sq[i]));
          return e >= 0 ? e : Math.min(lines.length, t4 + 80);
        })()
      : -1;

  let active: Range | null = null;
  const activeStart =
    t2 >= 0
      ? t2
      : find(0, (i) => short(lines[i]) && hasDigit(lines[i]) && !!matchActiveRow(lines[i].split(/\t|\||\s{2,}| (?=\d)/)[0] ?? ''));
  if (activeStart >= 0) {
    const stops = [t3, t4].filter((x) => x > activeStart);
    active = [activeStart, stops.length ? Math.min(...stops) : lines.length];
  }
  let applications: Range | null = null;
  if (t3 >= 0) applications = [t3, t4 > t3 ? t4 : lines.length];
  else if (active) applications = [active[1], t4 > active[1] ? t4 : lines.length];
  const review: Range | null = t4 >= 0 ? [t4, end4] : null;
  return { active, applications, review };
}
