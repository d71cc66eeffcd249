// Reading numbers as reports print them: table cells (signs, units, split digits) and Chinese numerals in prose.

export type MoneyUnit = '元' | '万元';

/**
 * What one table cell says.
 * - `number`: a single value; `money` is the unit printed in the cell (callers convert), `approx` when `余/多/约` hedge it.
 * - `blank`: empty or a placeholder (`-`, `—`, `/`, `无`): absent, never 0.
 * - `multi`: several numbers in one cell (`1 1 0 0`): cells glued by a broken extractor.
 * - `text`: anything else (label debris).
 */
export type CellReading =
  | { kind: 'number'; value: number; money: MoneyUnit | null; approx: boolean }
  | { kind: 'blank' }
  | { kind: 'multi'; values: number[] }
  | { kind: 'text'; text: string };

const BLANK_MARKS = /^(?:[-‐‑‒–—―－−~～/／\\]+|无|空|暂无|nbsp|&nbsp;)$/i;
const COUNT_UNITS = /(?:件次|件|条|个|项|例|人次|次|份|家|宗)$/;
const DECREASE = /^(?:减少|减|下降|少)/;
const INCREASE = /^(?:增加|增长|增|新增|多)/;

/** Normalise the typographic forms of digits and signs a cell may carry before any reading. */
function clean(cell: string): string {
  return cell
    .normalize('NFKC')
    .replace(/[\u00a0\u3000]/g, ' ')
    .replace(/[－−–—]/g, (m) => (m === '—' ? '—' : '-'))
    .replace(/，/g, ',')
    .trim();
}

/** Read one table cell. Pure; never throws. */
export function readCellNumber(cell: string): CellReading {
  let s = clean(cell);
  if (s === '') return { kind: 'blank' };
  if (BLANK_MARKS.test(s.replace(/\s+/g, ''))) return { kind: 'blank' };

  let money: MoneyUnit | null = null;
  const m = /(万元|元)$/.exec(s);
  if (m) {
    money = m[1] as MoneyUnit;
    s = s.slice(0, -m[1].length).trim();
  } else {
    s = s.replace(COUNT_UNITS, '').trim();
  }
  let approx = false;
  if (/(?:余|多)$/.test(s) && /\d/.test(s)) {
    approx = true;
    s = s.slice(0, -1).trim();
  }
  if (/^约/.test(s)) {
    approx = true;
    s = s.slice(1).trim();
  }

  let sign = 1;
  let worded = false;
  const dec = DECREASE.exec(s);
  const inc = dec ? null : INCREASE.exec(s);
  if (dec) {
    sign = -1;
    worded = true;
    s = s.slice(dec[0].length).trim();
  } else if (inc) {
    worded = true;
    s = s.slice(inc[0].length).trim();
  }
  if (!worded) {
    const sm = /^([+-])\s*/.exec(s);
    if (sm) {
      if (sm[1] === '-') sign = -1;
      s = s.slice(sm[0].length);
    }
  }

  // Split digits from PDF text layers: "8208. 93", "1, 234", "3 985 758" (groups of three only).
  const joined = s
    .replace(/(\d)\s*\.\s+(\d)/g, '$1.$2')
    .replace(/(\d)\s+\.\s*(\d)/g, '$1.$2')
    .replace(/(\d)\s*,\s*(?=\d{3}(?!\d))/g, '$1');
  if (/^\d+(?:\.\d+)?$/.test(joined)) return { kind: 'number', value: sign * Number(joined), money, approx };
  if (/^\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(joined)) {
    return { kind: 'number', value: sign * Number(joined.replace(/ /g, '')), money, approx };
  }
  if (!worded && sign === 1 && !money && /^\d+(?:\.\d+)?(?:\s+[+-]?\d+(?:\.\d+)?)+$/.test(joined)) {
    return { kind: 'multi', values: joined.split(/\s+/).map(Number) };
  }
  // Chinese numerals are not read in cells: one-character label debris (三, 五) would turn into numbers.
  return { kind: 'text', text: cell.trim() };
}

const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  '○': 0,
  Ｏ: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  俩: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const SMALL_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNIT: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/**
 * A number written in Chinese or mixed digits: 两 → 2, 十二 → 12, 一百零五 → 105, 2万六千余 → {26000, approx},
 * 二〇二〇 → 2020 (digit-by-digit), 1.5万 → 15000. Trailing 余/多/左右 and leading 约/近 mark it approximate.
 * Returns null when the text is not a number.
 */
export function readChineseNumber(text: string): { value: number; approx: boolean } | null {
  let s = text.normalize('NFKC').replace(/[\s,，]/g, '');
  let approx = false;
  const lead = /^(?:约|近|逾|超过|大约)/.exec(s);
  if (lead) {
    approx = true;
    s = s.slice(lead[0].length);
  }
  const trail = /(?:余|多|左右)$/.exec(s);
  if (trail) {
    approx = true;
    s = s.slice(0, -trail[0].length);
  }
  if (s === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(s)) return { value: Number(s), approx };
  // Digit-by-digit numerals (years): every char a digit, no unit characters.
  if (/^[零〇○一二三四五六七八九\d]{2,}$/.test(s) && !/[十百千万亿]/.test(s)) {
    const digits = [...s].map((c) => (/\d/.test(c) ? Number(c) : DIGIT[c]));
    if (digits.every((d) => d !== undefined)) return { value: Number(digits.join('')), approx };
  }
  let total = 0; // completed big-unit sections
  let section = 0; // value below the current big unit
  let num: number | null = null; // pending digit(s)
  let i = 0;
  let sawAny = false;
  while (i < s.length) {
    const c = s[i];
    const dm = /^\d+(?:\.\d+)?/.exec(s.slice(i));
    if (dm) {
      num = Number(dm[0]);
      i += dm[0].length;
      sawAny = true;
      continue;
    }
    if (c in DIGIT) {
      num = DIGIT[c];
      sawAny = true;
    } else if (c in SMALL_UNIT) {
      section += (num ?? 1) * SMALL_UNIT[c];
      num = null;
      sawAny = true;
    } else if (c in BIG_UNIT) {
      const part = section + (num ?? 0);
      // 亿 scales everything before it (一万亿 is rare but 三亿二千万 is not); 万 scales only its own section.
      total = BIG_UNIT[c] === 1e8 ? (total + part) * 1e8 : total + part * 1e4;
      section = 0;
      num = null;
    } else {
      return null;
    }
    i++;
  }
  if (!sawAny) return null;
  const value = total + section + (num ?? 0);
  return Number.isFinite(value) ? { value: Math.round(value * 1e6) / 1e6, approx } : null;
}
