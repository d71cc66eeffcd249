// One body line → its cells. Tab rows (HTML, DOCX, pdf.js), Markdown pipe rows (OCR / PDF-to-Markdown) and
// space-laid-out PDF text (pdftotext -layout, plain extracts) all arrive as lines; each needs its own cut.
import { readCellNumber, type CellReading } from '../numbers.ts';

export type LineMode = 'tab' | 'pipe' | 'space' | 'plain';

export type Cell = { text: string; reading: CellReading };

export type SplitLine = { mode: LineMode; cells: Cell[] };

const MD_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const PAGE_NUMBER = /^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)\s*$/;

/** Lines that are no part of any table or prose: page numbers, Markdown rules. */
export function isNoiseLine(line: string): boolean {
  return MD_SEPARATOR.test(line) || PAGE_NUMBER.test(line);
}

const cell = (text: string): Cell => {
  const t = text.trim();
  return { text: t, reading: readCellNumber(t) };
};

/** Glue what a space-laid-out line breaks apart inside one value: `减 40`, `8208. 93`, `251000 元`. */
function glueSpacedValues(s: string): string {
  return s
    .replace(/(减少|增加|减|增)\s+(?=\d)/g, '$1')
    .replace(/(\d)\s*\.\s+(\d)|(\d)\s+\.\s*(\d)/g, (_m, a, b, c, d) => `${a ?? c}.${b ?? d}`)
    .replace(/(\d)\s+(万元|元)(?![\p{Script=Han}])/gu, '$1$2');
}

const isValueToken = (t: string) => {
  const r = readCellNumber(t);
  return r.kind === 'number' || (r.kind === 'blank' && t !== '');
};

/**
 * Space-separated text: numeric tokens become cells, runs of text tokens become one label cell
 * (CJK labels carry stray spaces: `不予 公开`, `4.无正当理由大量反复 申请`).
 */
function splitSpaced(line: string): Cell[] {
  const tokens = glueSpacedValues(line.trim())
    .split(/[ \u3000\u00a0]+/)
    .filter(Boolean);
  const out: Cell[] = [];
  let label: string[] = [];
  const flush = () => {
    if (label.length) out.push(cell(label.join(' ')));
    label = [];
  };
  for (const t of tokens) {
    if (isValueToken(t)) {
      flush();
      out.push(cell(t));
    } else label.push(t);
  }
  flush();
  return out;
}

export function splitLine(line: string): SplitLine | null {
  if (isNoiseLine(line)) return null;
  const trimmed = line.trim();
  if (trimmed === '') return { mode: 'plain', cells: [] };
  if (/^\|.*\|$/.test(trimmed) || (trimmed.startsWith('|') && trimmed.split('|').length > 3)) {
    const inner = trimmed.replace(/^\|/, '').replace(/\|$/, '');
    return { mode: 'pipe', cells: inner.split('|').map(cell) };
  }
  if (line.includes('\t')) {
    return { mode: 'tab', cells: line.replace(/\r$/, '').split('\t').map(cell) };
  }
  // Numbers and nothing else, one space apart: a number split by the text layer (`19 9`) or values glued into
  // one cell; either way not separate cells. Runs of 2+ spaces (layout text) do separate cells.
  if (/^[-+]?\d[\d.,]*(?: [-+]?\d[\d.,]*)+$/.test(trimmed)) return { mode: 'plain', cells: [cell(trimmed)] };
  const cells = splitSpaced(trimmed);
  if (cells.length <= 1) return { mode: 'plain', cells: [cell(trimmed)] };
  return { mode: 'space', cells };
}
