import { Converter } from 'opencc-js/t2cn';

const toSimplified = Converter({ from: 't', to: 'cn' });

const HAN = '\\p{Script=Han}';
// One pinyin syllable, with or without tone marks (ü written as u/v too); debris from broken converters (seed 004).
const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü';
const SYLLABLE = new RegExp(`^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv${TONED}]+(?:n|ng|r)?$`, 'i');
const PINYIN_RUN = new RegExp(`(${HAN})((?:\\([a-z${TONED}]{1,7}\\))+)`, 'giu');

function stripPinyinDebris(text: string): string {
  return text.replace(PINYIN_RUN, (whole, han: string, runs: string) => {
    const syllables = runs.slice(1, -1).split(')(');
    return syllables.every((s) => SYLLABLE.test(s)) ? han : whole;
  });
}

function unifyQuotes(text: string): string {
  return text.replace(/[“”„‟〝〞＂]/g, '"').replace(/[‘’‚‛]/g, "'");
}

/**
 * A paragraph broken inside a word by a PDF page/column break (`以进\n\n一步提高`). Only long prose lines are
 * joined: short lines are table cells in the one-cell-per-line shape, and tab lines are table rows.
 */
function joinBrokenProse(text: string): string {
  return text.replace(
    new RegExp(`(^|\\n)([^\\n\\t]{30,}${HAN})\\n(?:[ \\t]*\\n)+(?=(${HAN}[^\\n\\t]{20,})(\\n|$))`, 'gu'),
    (whole, lead: string, line: string, next: string) => (looksLikeHeading(next) || looksLikeHeading(line) ? whole : `${lead}${line}`),
  );
}

function looksLikeHeading(line: string): boolean {
  return /^\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、]|第[一二三四五六七八九十]+)/.test(line);
}

/** `8208. 93 万元`: a decimal point followed by a stray space inside an amount. */
function joinSplitDecimals(text: string): string {
  return text.replace(/(\d)\. (\d+)(?=\s*(?:万元|元|亿元))/g, '$1.$2');
}

// t→cn conversion is near-identity on Simplified text (a stray 繁體版 link changes one character), so it is
// always applied; only a real Traditional passage deserves the warning.
function changedChars(before: string, after: string): number {
  const a = [...before];
  const b = [...after];
  if (a.length !== b.length) return Math.abs(a.length - b.length) + 3;
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return changed;
}

/**
 * Canonical text for every later step: NFKC (full-width digits and punctuation → ASCII), pinyin debris
 * removed, Traditional → Simplified (warned only when a real passage changed), quotes unified, PDF breaks inside
 * words repaired. Tabs and line structure are kept: they carry the tables.
 */
export function normaliseText(text: string): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  let t = text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .normalize('NFKC');
  t = t.replace(/[\u200b-\u200d\ufeff]/g, '');
  t = stripPinyinDebris(t);
  const simplified = toSimplified(t);
  if (changedChars(t, simplified) >= 3) {
    warnings.push('converted_traditional: the text was in Traditional characters and was converted to Simplified');
  }
  t = unifyQuotes(simplified);
  t = joinBrokenProse(t);
  t = joinSplitDecimals(t);
  return { text: t, warnings };
}
