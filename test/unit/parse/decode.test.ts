import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../../src/parse/decode.ts';

const text = '永修县2020年政府信息公开工作年度报告';
const gbk = (s: string) => new Uint8Array(iconv.encode(s, 'gbk'));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeBytes', () => {
  it('honours a UTF-8 BOM and drops it', () => {
    const r = decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
    expect(r).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads UTF-16LE with a BOM', () => {
    const r = decodeBytes(new Uint8Array([0xff, 0xfe, ...iconv.encode(text, 'utf-16le')]));
    expect(r.text).toBe(text);
  });

  it('uses the HTTP charset before anything in the page', () => {
    const r = decodeBytes(gbk(text), { contentType: 'text/html; charset=GBK' });
    expect(r.text).toBe(text);
    expect(r.encoding).toBe('gb18030');
  });

  it('finds a <meta> charset in the first 4 KB when the header says nothing', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>${text}</body></html>`;
    expect(decodeBytes(gbk(html)).text).toContain(text);
    const html5 = `<meta charset="gbk"><p>${text}</p>`;
    expect(decodeBytes(gbk(html5)).text).toContain(text);
  });

  it('falls through a declared UTF-8 that does not validate (GBK sites that lie)', () => {
    const r = decodeBytes(gbk(text), { contentType: 'text/html; charset=utf-8' });
    expect(r.text).toBe(text);
    expect(r.encoding).toBe('gb18030');
  });

  it('accepts undeclared UTF-8, and reads undeclared non-UTF-8 as GB18030', () => {
    expect(decodeBytes(utf8(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeBytes(gbk(text))).toEqual({ text, encoding: 'gb18030' });
  });

  it('decodes characters only GB18030 has even when the page says gb2312', () => {
    const rare = '㑇'; // outside GB2312/GBK, inside GB18030
    const bytes = new Uint8Array(iconv.encode(`<meta charset="gb2312">${rare}`, 'gb18030'));
    expect(decodeBytes(bytes).text).toContain(rare);
  });
});
