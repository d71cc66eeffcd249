// Legacy Word (.doc) and WPS files via word-extractor. Word's binary text stream marks every cell end
// and every row end with the same character (word-extractor turns both into \t), so rows are rebuilt
// heuristically: a run of two or more tabs followed by a label (non-numeric text) starts a new row.
import WordExtractor from 'word-extractor';
import { DocumentError } from './errors.ts';
import { tidyCell } from './layout.ts';
import type { ExtractedDocument } from './index.ts';

const NUMERIC = /^[-+−－]?[\d,，.]+(%|％|万元|元|件|条|个|项|例)?$/;

export function tabStreamToRows(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    if (!para.includes('\t')) {
      const t = tidyCell(para);
      if (t) out.push(t);
      continue;
    }
    const cells = para.split('\t');
    let row: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = tidyCell(cells[i]);
      if (cell === '') {
        // Look ahead: empties then a label → this empty is the row-end mark.
        let j = i;
        while (j < cells.length && tidyCell(cells[j]) === '') j++;
        const next = j < cells.length ? tidyCell(cells[j]) : null;
        if (row.length && (next === null || !NUMERIC.test(next))) {
          out.push(row.join('\t'));
          // The other empties are leading cells of the next row (rowspan continuations).
          row = new Array(Math.max(0, j - i - 1)).fill('');
          i = j - 1;
          continue;
        }
      }
      row.push(cell);
    }
    if (row.some((c) => c !== '')) out.push(row.join('\t').replace(/\t+$/, ''));
  }
  return out.filter((l) => l.replace(/\t/g, '').trim() !== '');
}

export async function extractDoc(bytes: Uint8Array, filename: string | null, kind: 'doc' | 'wps'): Promise<ExtractedDocument> {
  const extractor = new WordExtractor();
  let body: string;
  try {
    const doc = await extractor.extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    body = doc.getBody();
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (kind === 'wps') throw new DocumentError('unsupported', filename, `WPS file is not in Word format: ${msg}`, { cause: e });
    if (/encrypt|password/i.test(msg)) throw new DocumentError('encrypted', filename, msg, { cause: e });
    throw new DocumentError('truncated', filename, `Word file could not be read: ${msg}`, { cause: e });
  }
  return { kind, body: tabStreamToRows(body).join('\n'), ocr: false, warnings: [] };
}
