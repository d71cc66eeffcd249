// Body lines → value records: a row of values with its own label cells, plus the loose text lines that came
// before it. The same walk serves all input shapes: tab/pipe rows (one line per row), space-laid-out PDF
// text, and one-cell-per-line text where a row's values arrive as consecutive one-number lines.
import type { CellReading } from '../numbers.ts';
import { splitLine, type LineMode } from './split-cells.ts';
import { squash, stripNumbering } from './labels.ts';

export type Slot = { reading: CellReading; text: string; pos: number };

export type ValueRecord = {
  line: number;
  mode: LineMode;
  /** Own label: the text cells before the first value, joined. */
  label: string;
  labelCells: string[];
  /** Text lines since the previous record (oldest first). */
  preText: string[];
  /** Cells from the first cell after the label to the end of the row. */
  slots: Slot[];
  /** Cells on the line (tab/pipe), for alignment with a header row. */
  cellCount: number;
  /** Text found among or after the values (label debris where numbers belong). */
  debris: string[];
  /** A cell holding several numbers (`1 1 0 0 0`). */
  multi: boolean;
  /** The same label fragment twice (`一、本` + `一、本年新收…`). */
  dupLabel: boolean;
  /** Set by the value mapper when a split number was joined. */
  joined?: boolean;
};

/** A line with cell structure but no values: headers, and rows whose every value cell is blank. */
export type TextLine = { line: number; mode: LineMode; text: string; cells: string[] };

export type Walk = { records: ValueRecord[]; texts: TextLine[]; trailing: string[] };

const isValue = (r: CellReading) => r.kind === 'number' || r.kind === 'multi';

/**
 * A cell whose value exists but could not be read (joined-cells.ts: digits glued with no separator that cut more
 * than one way). It holds its column's position, is neither blank nor label debris, and is never a value.
 */
export const UNREAD_CELL = '\uFFFD';
export const isUnread = (text: string) => text === UNREAD_CELL;

function duplicatedFragments(cells: string[]): boolean {
  const parts = cells.map(squash).filter((c) => stripNumbering(c).length > 0);
  for (let i = 0; i < parts.length; i++) {
    for (let j = 0; j < parts.length; j++) {
      if (i !== j && parts[j].length > parts[i].length && parts[j].startsWith(parts[i])) return true;
    }
  }
  return false;
}

export function walkLines(lines: string[], from = 0, to = lines.length): Walk {
  const records: ValueRecord[] = [];
  const texts: TextLine[] = [];
  let pre: string[] = [];
  let run: ValueRecord | null = null; // one-number-per-line values being gathered

  const closeRun = () => {
    if (run) records.push(run);
    run = null;
  };

  for (let i = from; i < to; i++) {
    const split = splitLine(lines[i]);
    if (!split) continue;
    if (split.cells.length === 0) continue; // empty lines separate cells in one-cell-per-line text
    const { mode, cells } = split;

    if (mode === 'plain') {
      const c = cells[0];
      const isNum = c.reading.kind === 'number' || c.reading.kind === 'multi' || (c.reading.kind === 'blank' && c.text !== '');
      if (isNum) {
        if (!run) {
          run = {
            line: i,
            mode: 'plain',
            label: '',
            labelCells: [],
            preText: pre,
            slots: [],
            cellCount: 0,
            debris: [],
            multi: false,
            dupLabel: false,
          };
          pre = [];
        }
        run.slots.push({ reading: c.reading, text: c.text, pos: run.slots.length });
        if (c.reading.kind === 'multi') run.multi = true;
        continue;
      }
      closeRun();
      pre.push(c.text);
      texts.push({ line: i, mode, text: c.text, cells: [c.text] });
      continue;
    }

    closeRun();
    let firstValue = cells.findIndex((c) => isValue(c.reading));
    if (firstValue < 0) {
      // A labeled row whose every value is an explicit blank mark (`—`, `-`, `/`): a row, not a text line.
      const mark = cells.findIndex((c) => c.reading.kind === 'blank' && c.text !== '');
      const label = cells.slice(0, Math.max(mark, 0)).some((c) => c.reading.kind === 'text');
      const after = cells.slice(mark + 1).every((c) => c.reading.kind === 'blank');
      if (mark > 0 && label && after) firstValue = mark;
    }
    if (firstValue < 0) {
      const text = cells
        .map((c) => c.text)
        .filter(Boolean)
        .join(' ');
      if (text) {
        pre.push(text);
        texts.push({ line: i, mode, text, cells: cells.map((c) => c.text) });
      }
      continue;
    }
    let lastLabel = -1;
    for (let k = 0; k < firstValue; k++) if (cells[k].reading.kind === 'text' && !isUnread(cells[k].text)) lastLabel = k;
    // No label at all: leading empty cells are most likely the label columns, not blank values; a row that
    // really starts with a blank value cannot be told apart and is left to fail alignment.
    if (lastLabel < 0) while (lastLabel + 1 < firstValue && cells[lastLabel + 1].text === '') lastLabel++;
    const labelCells = cells
      .slice(0, lastLabel + 1)
      .map((c) => c.text)
      .filter(Boolean);
    const slots = cells.slice(lastLabel + 1).map((c, k) => ({ reading: c.reading, text: c.text, pos: lastLabel + 1 + k }));
    records.push({
      line: i,
      mode,
      label: labelCells.join(' '),
      labelCells,
      preText: pre,
      slots: mode === 'space' ? slots.filter((s) => s.reading.kind !== 'text') : slots,
      cellCount: cells.length,
      debris: slots.filter((s) => s.reading.kind === 'text' && !isUnread(s.text)).map((s) => s.text),
      multi: slots.some((s) => s.reading.kind === 'multi'),
      dupLabel: duplicatedFragments(labelCells),
    });
    pre = [];
  }
  closeRun();
  return { records, texts, trailing: pre };
}

export const numbersOf = (r: ValueRecord) => r.slots.filter((s) => s.reading.kind === 'number');
