// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends
// (what spreadsheet programs expect). NULL is an empty field.

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
