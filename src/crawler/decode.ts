import iconv from 'iconv-lite';

// Link extraction needs text; snapshots keep the raw bytes. Order: forced site charset → BOM → HTTP
// charset → <meta> charset in the first 4 KB → strict UTF-8 → GB18030. Many county pages are GBK declared
// only in <meta>, and some send `charset=utf-8` on GBK bytes, so a declared UTF-8 that does not validate
// falls through to GB18030.

const utf8 = new TextDecoder('utf-8', { fatal: true });

function canon(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!l) return null;
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|hz-gb-2312)$/.test(l)) return 'gb18030';
  if (/^utf-?8$/.test(l)) return 'utf-8';
  if (/^(big5|big5-hkscs)$/.test(l)) return 'big5';
  return iconv.encodingExists(l) ? l : null;
}

export function charsetFromContentType(ct: string | null | undefined): string | null {
  const m = /charset\s*=\s*["']?([\w-]+)/i.exec(ct ?? '');
  return m ? canon(m[1]) : null;
}

export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return m ? canon(m[1]) : null;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeHtml(bytes: Uint8Array, contentType?: string | null, forced?: string | null): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const forcedCs = forced ? canon(forced) : null;
  if (forcedCs) return { text: iconv.decode(buf, forcedCs), encoding: forcedCs };
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  for (const cs of [charsetFromContentType(contentType), charsetFromMeta(buf)]) {
    if (!cs) continue;
    if (cs === 'utf-8') {
      if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' };
      continue; // a lying utf-8 label: keep looking
    }
    // iso-8859-1 on error pages is usually a server default, not the truth, when the bytes are valid UTF-8.
    if ((cs === 'iso-8859-1' || cs === 'latin1' || cs === 'windows-1252') && isUtf8(buf)) continue;
    return { text: iconv.decode(buf, cs), encoding: cs };
  }
  if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
}

/** Magic-byte sniffing for attachments and mislabelled responses. */
export function sniffKind(bytes: Uint8Array): 'pdf' | 'ole' | 'zip' | 'html' | 'ofd' | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'ole';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  const head = b.toString('latin1').replace(/^\s+/, '').slice(0, 200).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || /^<(meta|script|div|body|title|p)\b/.test(head)) {
    return 'html';
  }
  return null;
}
