// What a fetched response is (page, plain text or binary document), from its first bytes and what was said about
// it. Apart from parse-file.ts so that `reparse` can tell a PDF from a page without loading the parser.
export type DocumentInfo = { filename?: string; url?: string; contentType?: string | null; charset?: string | null };
type InputKind = 'html' | 'text' | 'document';

const BINARY_MAGIC: number[][] = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x50, 0x4b, 0x03, 0x04], // zip: docx/xlsx/ofd
  [0x50, 0x4b, 0x05, 0x06],
  [0xd0, 0xcf, 0x11, 0xe0], // OLE: doc/xls/wps
  [0x89, 0x50, 0x4e, 0x47], // png
  [0xff, 0xd8, 0xff], // jpeg
  [0x47, 0x49, 0x46, 0x38], // gif
  [0x49, 0x49, 0x2a, 0x00], // tiff
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x52, 0x61, 0x72, 0x21], // rar
];
const DOCUMENT_EXT = /\.(pdf|docx?|xlsx?|wps|et|ofd|png|jpe?g|gif|tiff?|bmp|webp)$/i;
const HTML_EXT = /\.(s?html?|xhtml|jsp|aspx?|php)$/i;
const TEXT_EXT = /\.(txt|text|md|markdown)$/i;

/** Magic bytes first (sites mislabel files), then the name, then the content type, then a look at the text. */
export function sniffInput(bytes: Uint8Array, info: DocumentInfo): InputKind {
  const head = bytes.subarray(0, 1024);
  if (BINARY_MAGIC.some((sig) => sig.every((b, i) => head[i] === b))) return 'document';
  if (Buffer.from(head).toString('latin1').includes('%PDF-')) return 'document';
  const name = info.filename ?? (info.url ? new URL(info.url, 'http://x/').pathname : '');
  const text = Buffer.from(head)
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  const looksHtml = /^<(?:!doctype|!--|\?xml|html|head|body|meta|title|link|script|style|div|p|table|span|h\d)[\s>/]/i.test(text);
  // Word's "save as web page" files keep their .doc name: markup wins over the extension.
  if (looksHtml && !TEXT_EXT.test(name)) return 'html';
  if (DOCUMENT_EXT.test(name)) return 'document';
  if (HTML_EXT.test(name)) return 'html';
  if (TEXT_EXT.test(name)) return 'text';
  const ct = (info.contentType ?? '').toLowerCase();
  if (ct.includes('html') || ct.includes('xml')) return 'html';
  if (/pdf|msword|officedocument|excel|image\//.test(ct)) return 'document';
  return looksHtml ? 'html' : 'text';
}
