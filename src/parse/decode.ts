import iconv from 'iconv-lite';

export type DecodeHints = { contentType?: string | null; charset?: string };

// gb2312/gbk pages routinely contain characters only GB18030 has, so read every GB label as its superset.
function canonicalCharset(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!l) return null;
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|windows-936|gb_2312-80)$/.test(l)) return 'gb18030';
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : null;
}

export function charsetFromContentType(contentType?: string | null): string | null {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m ? canonicalCharset(m[1]) : null;
}

function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m =
    head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i) ??
    head.match(/<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i);
  return m ? canonicalCharset(m[1]) : null;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeAs(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes), charset);
}

/**
 * Bytes → text: BOM, then the declared charset (HTTP, then <meta>), then a strict UTF-8 test, then GB18030.
 * A declared UTF-8 that does not validate is a lie common on GBK sites, so it falls through.
 */
export function decodeBytes(bytes: Uint8Array, hints: DecodeHints = {}): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'utf-16be' };

  const declared = [hints.charset ? canonicalCharset(hints.charset) : null, charsetFromContentType(hints.contentType), charsetFromMeta(bytes)];
  for (const cs of declared) {
    if (!cs) continue;
    if (cs === 'utf-8') {
      const t = strictUtf8(bytes);
      if (t !== null) return { text: t, encoding: 'utf-8' };
      continue;
    }
    return { text: decodeAs(bytes, cs), encoding: cs };
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
}
