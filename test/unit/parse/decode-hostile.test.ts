import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml as crawlerDecode, sniffKind as crawlerSniff } from '../../../src/crawler/decode.ts';
import { decodeBytes, decodeHtml, sanitizeText, sniffKind } from '../../../src/parse/decode.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';

// Deterministic "random" bytes: a failure reproduces.
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const title = '永修县2020年政府信息公开工作年度报告';

describe('undecodable bytes degrade instead of dropping the page', () => {
  it('replaces lone surrogates, NUL and C0 controls with U+FFFD and counts them', () => {
    const r = sanitizeText(`a\uDC00\uDC01b\u0000c\uD800`);
    expect(r.text).toBe('a\uFFFD\uFFFDb\uFFFDc\uFFFD');
    expect(r.replaced).toBe(4);
    // Tabs, newlines and proper surrogate pairs are text.
    expect(sanitizeText('x\ty\n😀').text).toBe('x\ty\n😀');
  });

  it('<html> followed by random bytes parses to a result (parse5 saw no invalid code point)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const bytes = new Uint8Array([...new TextEncoder().encode('<html>'), ...noise(8000, seed)]);
      const decoded = decodeBytes(bytes);
      expect(/[\uD800-\uDFFF]/.test(decoded.text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))).toBe(false);
      const result = await parseDocument(bytes, { filename: 'noise.html' });
      expect(result.isReport).toBe(false);
    }
  });

  it('GBK bytes under a UTF-8 declaration are detected as GB18030, with a warning naming the declaration', () => {
    const html = `<html><head><meta charset="utf-8"><title>${title}</title></head><body>${title}</body></html>`;
    const bytes = new Uint8Array(iconv.encode(html, 'gbk'));
    const r = decodeBytes(bytes, { contentType: 'text/html; charset=UTF-8' });
    expect(r.encoding).toBe('gb18030');
    expect(r.text).toContain(title);
    expect(r.warnings?.some((w) => w.startsWith('charset_mismatch: HTTP declares utf-8'))).toBe(true);
    expect(r.warnings?.some((w) => w.startsWith('charset_mismatch: <meta> declares utf-8'))).toBe(true);
  });

  it('a forced site charset wins over every declaration', () => {
    const bytes = new Uint8Array(iconv.encode(`<meta charset="utf-8"><p>${title}</p>`, 'gbk'));
    expect(decodeBytes(bytes, { charset: 'gbk', contentType: 'text/html; charset=utf-8' })).toEqual({
      text: `<meta charset="utf-8"><p>${title}</p>`,
      encoding: 'gb18030',
    });
  });

  it('a parse with the wrong declaration keeps the figures and carries the warning', async () => {
    const body = `${title}\n一、总体情况\n二、主动公开政府信息情况\n`;
    const bytes = new Uint8Array(
      iconv.encode(`<html><head><meta charset="utf-8"></head><body><p>${body.replace(/\n/g, '</p><p>')}</p></body></html>`, 'gbk'),
    );
    const r = await parseDocument(bytes, { filename: 'r.html', contentType: 'text/html; charset=utf-8' });
    expect(r.title).toContain('永修县');
    expect(r.warnings.some((w) => w.startsWith('charset_mismatch'))).toBe(true);
  });
});

describe('one decode and sniff module for crawler and parser', () => {
  it('the crawler module is the parser module', () => {
    expect(crawlerDecode).toBe(decodeHtml);
    expect(crawlerSniff).toBe(sniffKind);
  });
  it('a Western declaration over valid UTF-8 is a server default, not the truth', () => {
    const bytes = new TextEncoder().encode(`<p>${title}</p>`);
    const r = decodeHtml(bytes, 'text/html; charset=ISO-8859-1');
    expect(r.text).toContain(title);
    expect(r.encoding).toBe('utf-8');
  });
});
