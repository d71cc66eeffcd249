// Damage seen in real extracted reports (docs/report-formats.md §5–§6, seeds 002–004), applied to clean text so
// the parser is tested against known ground truth.
import * as OpenCC from 'opencc-js';
import type { Rng } from '../random.ts';

export type DamageKind = 'split_numbers' | 'drop_labels' | 'traditional' | 'pinyin' | 'fullwidth_digits' | 'spaced_cjk';
export const DAMAGE_KINDS: readonly DamageKind[] = [
  'split_numbers',
  'drop_labels',
  'traditional',
  'pinyin',
  'fullwidth_digits',
  'spaced_cjk',
];

let toTraditional: ((s: string) => string) | undefined;
export function traditional(text: string): string {
  const convert = toTraditional ?? (toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(text);
}

// Converter pages append the reading of some characters (seed 004: 索引號(hào), 東湖區(qū)).
const PINYIN: Record<string, string> = {
  號: 'hào',
  务: 'wù',
  務: 'wù',
  發: 'fā',
  构: 'gòu',
  構: 'gòu',
  开: 'kāi',
  開: 'kāi',
  动: 'dòng',
  動: 'dòng',
  报: 'bào',
  報: 'bào',
  据: 'jù',
  據: 'jù',
  国: 'guó',
  國: 'guó',
  请: 'qǐng',
  請: 'qǐng',
  区: 'qū',
  區: 'qū',
  领: 'lǐng',
  領: 'lǐng',
  导: 'dǎo',
  導: 'dǎo',
  办: 'bàn',
  辦: 'bàn',
  费: 'fèi',
  費: 'fèi',
  减: 'jiǎn',
  減: 'jiǎn',
  复: 'fù',
  復: 'fù',
  议: 'yì',
  議: 'yì',
  诉: 'sù',
  訴: 'sù',
  讼: 'sòng',
  訟: 'sòng',
  问: 'wèn',
  問: 'wèn',
  题: 'tí',
  題: 'tí',
  进: 'jìn',
  進: 'jìn',
  况: 'kuàng',
  況: 'kuàng',
  关: 'guān',
  關: 'guān',
  门: 'mén',
  門: 'mén',
  条: 'tiáo',
  條: 'tiáo',
  处: 'chǔ',
  處: 'chǔ',
  结: 'jié',
  結: 'jié',
  转: 'zhuǎn',
  轉: 'zhuǎn',
  计: 'jì',
  計: 'jì',
};

const isNumericCell = (s: string) => /^\s*[-+]?[\d.]+\s*$/.test(s);

function splitNumbers(text: string, rng: Rng): string {
  return text.replace(/\d{3,}(?:\.\d+)?/g, (n) => {
    if (!rng.chance(0.3)) return n;
    const at = n.includes('.') && rng.chance(0.5) ? n.indexOf('.') + 1 : rng.int(1, n.length - 1);
    return `${n.slice(0, at)} ${n.slice(at)}`;
  });
}

function dropLabels(text: string, rng: Rng): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.includes('\t')) {
        const cells = line.split('\t');
        const i = cells.findIndex((c) => c.trim() !== '' && !isNumericCell(c));
        if (i >= 0 && cells.slice(i + 1).some(isNumericCell) && rng.chance(0.2)) cells[i] = '';
        return cells.join('\t');
      }
      return line.length > 0 && line.length < 30 && !isNumericCell(line) && /[予公开处理申请]/.test(line) && rng.chance(0.1) ? null : line;
    })
    .filter((l): l is string => l !== null)
    .join('\n');
}

function pinyin(text: string, rng: Rng): string {
  return text.replace(/[\u4e00-\u9fff]/g, (ch) => (PINYIN[ch] && rng.chance(0.6) ? `${ch}(${PINYIN[ch]})` : ch));
}

const FULL = '０１２３４５６７８９';
function fullwidthDigits(text: string, rng: Rng): string {
  return text.replace(/\d/g, (d) => (rng.chance(0.5) ? FULL[Number(d)]! : d));
}

function spacedCjk(text: string, rng: Rng): string {
  // PDF text layers put spaces inside labels (seed 002: `不予 公开`, seed 003: `主要 预期目标`)
  return text.replace(/([\u4e00-\u9fff])(?=[\u4e00-\u9fff])/g, (ch) => (rng.chance(0.04) ? `${ch} ` : ch));
}

/** Damage `text` with each of `kinds`, in a fixed order (Traditional before pinyin, as converter pages do). */
export function injectDamage(text: string, rng: Rng, kinds: readonly DamageKind[]): string {
  let out = text;
  const has = (k: DamageKind) => kinds.includes(k);
  if (has('drop_labels')) out = dropLabels(out, rng.fork('drop_labels'));
  if (has('split_numbers')) out = splitNumbers(out, rng.fork('split_numbers'));
  if (has('spaced_cjk')) out = spacedCjk(out, rng.fork('spaced_cjk'));
  if (has('traditional')) out = traditional(out);
  if (has('pinyin')) out = pinyin(out, rng.fork('pinyin'));
  if (has('fullwidth_digits')) out = fullwidthDigits(out, rng.fork('fullwidth'));
  return out;
}
