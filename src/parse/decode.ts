// One decode-and-sniff module for the crawler (link extraction) and the parser (report text), so both
// read a page the same way. Order: forced site charset → BOM → HTTP charset → <meta>/<?xml> charset in
// the first 4 KB → strict UTF-8 → GB18030. Many county pages are GBK declared only in <meta>, and some
// declare UTF-8 over GBK bytes: a declaration the bytes contradict falls through to detection, with a
// warning, instead of turning the page into mojibake that is silently "not a report".
import iconv from 'iconv-lite';

export type DecodeHints = {
  contentType?: string | null;
  /** The site config's `charset`: trusted over anything the response says. */
  charset?: string | null;
};

export type Decoded = {
  text: string;
  encoding: string;
  /** Present only when something was repaired or a declaration was overruled. */
  warnings?: string[];
};

// gb2312/gbk pages routinely contain characters only GB18030 has, so read every GB label as its superset.
export function canonicalCharset(label: string): string | null {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!l) return null;
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|windows-936|gb_2312-80|hz-gb-2312)$/.test(l)) return 'gb18030';
  if (/^(utf-?8|unicode-1-1-utf-8)$/.test(l)) return 'utf-8';
  if (/^(big5|big5-hkscs|x-x-big5)$/.test(l)) return 'big5';
  return iconv.encodingExists(l) ? l : null;
}

export function charsetFromContentType(contentType?: string | null): string | null {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m ? canonicalCharset(m[1]) : null;
}

export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const m = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i) ?? head.match(/<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i);
  return m ? canonicalCharset(m[1]) : null;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function decodeAs(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(asBuffer(bytes), charset);
}

// Code units an HTML tokenizer or XML reader must never see: lone surrogates (parse5 pairs a stray low
// surrogate with the next one into a code point above U+10FFFF and throws "Invalid code point"), NUL and
// the C0/C1 controls other than tab, line feed, form feed and carriage return, and the noncharacters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces what no parser should see with U+FFFD; counts the repairs. Pure, linear. */
export function sanitizeText(text: string): { text: string; replaced: number } {
  FORBIDDEN.lastIndex = 0;
  if (!FORBIDDEN.test(text)) return { text, replaced: 0 }; // no copy of a clean (possibly huge) text
  let replaced = 0;
  const out = text.replace(FORBIDDEN, () => {
    replaced++;
    return '\uFFFD';
  });
  return { text: out, replaced };
}

// Declared single-byte Western charsets are server defaults far more often than the truth.
const WESTERN = new Set(['iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'ascii']);

function finish(text: string, encoding: string, warnings: string[]): Decoded {
  const clean = sanitizeText(text);
  if (clean.replaced > 0)
    warnings.push(`undecodable_bytes: ${clean.replaced} characters of the ${encoding} text could not be decoded and were replaced`);
  return warnings.length ? { text: clean.text, encoding, warnings } : { text: clean.text, encoding };
}

/**
 * Bytes → text: forced charset, BOM, declared charsets (HTTP, then <meta>), strict UTF-8, GB18030.
 * A declared UTF-8 that does not validate, or a declared Western charset over valid UTF-8, is overruled
 * (with a warning). Undecodable sequences and characters parsers reject become U+FFFD: the page degrades,
 * it is never dropped.
 */
export function decodeBytes(bytes: Uint8Array, hints: DecodeHints = {}): Decoded {
  const warnings: string[] = [];
  const forced = hints.charset ? canonicalCharset(hints.charset) : null;
  if (forced) return finish(decodeAs(bytes, forced), forced, warnings);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return finish(new TextDecoder('utf-8').decode(bytes.subarray(3)), 'utf-8', warnings);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(iconv.decode(asBuffer(bytes.subarray(2)), 'utf-16le'), 'utf-16le', warnings);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return finish(iconv.decode(asBuffer(bytes.subarray(2)), 'utf-16be'), 'utf-16be', warnings);

  const declared = [
    ['HTTP', charsetFromContentType(hints.contentType)],
    ['<meta>', charsetFromMeta(bytes)],
  ] as const;
  let utf8: string | null | undefined;
  const validUtf8 = () => (utf8 === undefined ? (utf8 = strictUtf8(bytes)) : utf8);
  for (const [where, cs] of declared) {
    if (!cs) continue;
    if (cs === 'utf-8') {
      const t = validUtf8();
      if (t !== null) return finish(t, 'utf-8', warnings);
      warnings.push(`charset_mismatch: ${where} declares utf-8 but the bytes are not UTF-8; charset detected instead`);
      continue;
    }
    if (WESTERN.has(cs) && validUtf8() !== null) {
      warnings.push(`charset_mismatch: ${where} declares ${cs} but the bytes are UTF-8`);
      continue;
    }
    return finish(decodeAs(bytes, cs), cs, warnings);
  }
  const t = validUtf8();
  if (t !== null) return finish(t, 'utf-8', warnings);
  return finish(iconv.decode(asBuffer(bytes), 'gb18030'), 'gb18030', warnings);
}

/** The crawler's call: same decoding, positional arguments. */
export function decodeHtml(bytes: Uint8Array, contentType?: string | null, forced?: string | null): Decoded {
  return decodeBytes(bytes, { contentType, charset: forced });
}

/** Magic-byte sniffing for attachments and mislabelled responses. */
export function sniffKind(bytes: Uint8Array): 'pdf' | 'ole' | 'zip' | 'html' | 'ofd' | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'ole';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  const head = b
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .replace(/^\s+/, '')
    .slice(0, 200)
    .toLowerCase();
  if (
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    head.startsWith('<head') ||
    /^<(meta|script|div|body|title|p)\b/.test(head)
  ) {
    return 'html';
  }
  return null;
}
