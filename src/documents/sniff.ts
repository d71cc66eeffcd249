// Decides what a byte string is. Magic bytes win; the file name and Content-Type are only a fallback,
// because government sites often serve .doc files that are really .docx, PDFs named .html, and so on.

export type DocumentKind =
  | 'pdf'
  | 'docx'
  | 'doc'
  | 'xls'
  | 'xlsx'
  | 'wps'
  | 'image'
  | 'ofd'
  | 'zip'
  | 'rar'
  | '7z'
  | 'html'
  | 'text'
  | 'unknown';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => Buffer.from(b.subarray(from, Math.min(to, b.length))).toString('latin1');

export type Sniffed = { kind: DocumentKind; imageType?: 'png' | 'jpeg' | 'gif' | 'tiff' | 'bmp' | 'webp' };

export function sniffDocument(bytes: Uint8Array, info: { filename?: string | null; contentType?: string | null } = {}): Sniffed {
  const head = ascii(bytes, 0, 1024);
  if (head.includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { kind: 'image', imageType: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', imageType: 'jpeg' };
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { kind: 'image', imageType: 'gif' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { kind: 'image', imageType: 'tiff' };
  if (head.startsWith('BM') && bytes.length > 26) return { kind: 'image', imageType: 'bmp' };
  if (head.startsWith('RIFF') && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'image', imageType: 'webp' };
  if (head.startsWith('Rar!')) return { kind: 'rar' };
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { kind: '7z' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    // ZIP containers: look at member names in the local headers / central directory.
    const names = zipNames(bytes);
    if (names.some((n) => n.startsWith('word/'))) return { kind: 'docx' };
    if (names.some((n) => n.startsWith('xl/'))) return { kind: 'xlsx' };
    if (names.some((n) => /^(OFD\.xml|Doc_\d+\/)/i.test(n))) return { kind: 'ofd' };
    const ext = extOf(info.filename);
    if (ext === 'docx' || ext === 'xlsx') return { kind: ext };
    if (ext === 'ofd') return { kind: 'ofd' };
    return { kind: 'zip' };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // OLE compound file: Word, Excel or WPS. Stream names are UTF-16 in the directory sectors.
    const u16 = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4 << 20)))
      .toString('latin1')
      .replace(/\0/g, '');
    if (u16.includes('WordDocument')) return { kind: extOf(info.filename) === 'wps' ? 'wps' : 'doc' };
    if (u16.includes('Workbook') || u16.includes('Book')) return { kind: 'xls' };
    const ext = extOf(info.filename);
    if (ext === 'wps') return { kind: 'wps' };
    if (ext === 'xls' || ext === 'et') return { kind: 'xls' };
    return { kind: 'doc' };
  }
  const trimmed = head
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (
    trimmed.startsWith('<!doctype html') ||
    trimmed.startsWith('<html') ||
    /<(head|body|meta|table|div|p)[\s>]/.test(trimmed.slice(0, 512))
  )
    return { kind: 'html' };
  // Fallbacks by name, then by declared type.
  const ext = extOf(info.filename);
  const byExt: Record<string, DocumentKind> = {
    pdf: 'pdf',
    docx: 'docx',
    doc: 'doc',
    xls: 'xls',
    xlsx: 'xlsx',
    wps: 'wps',
    et: 'xls',
    ofd: 'ofd',
    zip: 'zip',
    rar: 'rar',
    '7z': '7z',
    png: 'image',
    jpg: 'image',
    jpeg: 'image',
    gif: 'image',
    tif: 'image',
    tiff: 'image',
    htm: 'html',
    html: 'html',
    shtml: 'html',
    txt: 'text',
  };
  const ct = (info.contentType ?? '').toLowerCase();
  if (looksLikeText(bytes)) return { kind: ext && ['htm', 'html', 'shtml'].includes(ext) ? 'html' : ct.includes('html') ? 'html' : 'text' };
  if (ext && byExt[ext]) return { kind: byExt[ext] };
  if (ct.includes('pdf')) return { kind: 'pdf' };
  if (ct.includes('wordprocessingml')) return { kind: 'docx' };
  if (ct.includes('msword')) return { kind: 'doc' };
  if (ct.includes('spreadsheetml')) return { kind: 'xlsx' };
  if (ct.includes('ms-excel')) return { kind: 'xls' };
  return { kind: 'unknown' };
}

export function extOf(filename?: string | null): string | null {
  if (!filename) return null;
  const base = filename.split(/[?#]/)[0].split(/[\\/]/).pop() ?? '';
  const m = /\.([a-z0-9]{1,5})$/i.exec(base);
  return m ? m[1].toLowerCase() : null;
}

function zipNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Local file headers from the start: enough to see word/, xl/ or OFD.xml.
  let off = 0;
  for (let i = 0; i < 64 && off + 30 <= b.length && b.readUInt32LE(off) === 0x04034b50; i++) {
    const csize = b.readUInt32LE(off + 18);
    const nlen = b.readUInt16LE(off + 26);
    const xlen = b.readUInt16LE(off + 28);
    names.push(b.toString('utf8', off + 30, Math.min(b.length, off + 30 + nlen)));
    const flags = b.readUInt16LE(off + 6);
    if (flags & 0x08 && csize === 0) break; // streamed entry: size unknown here
    off += 30 + nlen + xlen + csize;
  }
  if (names.length < 2) {
    // Scan the central directory signature-wise (works for streamed zips).
    for (let i = Math.max(0, b.length - (1 << 20)); i + 46 <= b.length; i++) {
      if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x01 && b[i + 3] === 0x02) {
        const nlen = b.readUInt16LE(i + 28);
        names.push(b.toString('utf8', i + 46, Math.min(b.length, i + 46 + nlen)));
      }
    }
  }
  return names;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n === 0) return false;
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0) return false;
    if (c < 9 || (c > 13 && c < 32)) ctrl++;
  }
  return ctrl / n < 0.01;
}
