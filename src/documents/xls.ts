import * as XLSX from 'xlsx';
import { DocumentError } from './errors.ts';
import { tidyCell } from './layout.ts';
import type { ExtractedDocument } from './index.ts';

/** Spreadsheets → one tab row per sheet row; merged ranges follow the body-text span contract. */
export function extractSheet(bytes: Uint8Array, filename: string | null): ExtractedDocument {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'array', cellDates: false, cellFormula: false, cellHTML: false, sheetRows: 5000 });
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (/password|encrypt/i.test(msg)) throw new DocumentError('encrypted', filename, msg, { cause: e });
    throw new DocumentError('truncated', filename, `spreadsheet could not be read: ${msg}`, { cause: e });
  }
  const lines: string[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws?.['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    const covered = new Map<string, 'col' | 'row'>();
    for (const m of ws['!merges'] ?? []) {
      for (let r = m.s.r; r <= m.e.r; r++) {
        for (let c = m.s.c; c <= m.e.c; c++) {
          if (r === m.s.r && c === m.s.c) continue;
          covered.set(`${r},${c}`, c === m.s.c ? 'row' : 'col');
        }
      }
    }
    // Trailing blank cells are kept up to the sheet's last used column: they are blank table cells.
    let lastCol = range.s.c;
    for (const addr of Object.keys(ws)) {
      if (addr[0] === '!') continue;
      const v = (ws[addr] as XLSX.CellObject).w ?? (ws[addr] as XLSX.CellObject).v;
      if (v !== undefined && String(v).trim() !== '') lastCol = Math.max(lastCol, XLSX.utils.decode_cell(addr).c);
    }
    for (const m of ws['!merges'] ?? []) lastCol = Math.max(lastCol, m.e.c);
    for (let r = range.s.r; r <= Math.min(range.e.r, range.s.r + 5000); r++) {
      const fields: string[] = [];
      for (let c = range.s.c; c <= Math.min(lastCol, range.s.c + 200); c++) {
        const how = covered.get(`${r},${c}`);
        if (how === 'col') continue;
        const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
        fields.push(how === 'row' || !cell ? '' : tidyCell(String(cell.w ?? cell.v ?? '')));
      }
      if (fields.some((f) => f !== '')) lines.push(fields.join('\t'));
    }
  }
  return { kind: 'xls', body: lines.join('\n'), ocr: false, warnings: [] };
}
