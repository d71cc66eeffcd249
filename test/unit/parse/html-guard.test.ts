import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capHtmlDepth, flattenHtml, guardedHtmlToBody, htmlDepth, slimHtml } from '../../../src/parse/html-guard.ts';
import { htmlToBody } from '../../../src/parse/html-to-body.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';

const REAL = path.resolve(import.meta.dirname, '../../fixtures/reports/corpus/01_shanghai_office_2019.html');

describe('HTML depth cap with an iterative fallback', () => {
  it('measures nesting without recursion, with implied closes of p/li/td', () => {
    expect(htmlDepth('<div><p>a<p>b<p>c</div>')).toBe(2);
    expect(htmlDepth('<table><tr><td>1<td>2<tr><td>3</table>')).toBe(3);
    expect(htmlDepth('<br><img src=x><div/><span>x</span>')).toBe(1);
    expect(htmlDepth(`<div>${'<div>'.repeat(100_000)}x`)).toBe(100_001);
  });

  it('drops tags beyond the cap but keeps their text', () => {
    const r = capHtmlDepth('<div><div><div><b>deep</b></div></div></div>tail', 2);
    expect(r.html).toBe('<div><div>deep</div></div>tail');
    expect(r.dropped).toBe(4);
    expect(htmlDepth(r.html)).toBe(2);
  });

  it('100 000 nested <div>s: read, not "Maximum call stack size exceeded", with a too_deep warning', () => {
    const html = `<html><body>${'<div>'.repeat(100_000)}深处的文字${'</div>'.repeat(100_000)}</body></html>`;
    const r = guardedHtmlToBody(html);
    expect(r.body).toContain('深处的文字');
    expect(r.warnings.some((w) => w.startsWith('too_deep: elements nested'))).toBe(true);
  });

  it('5 000 nested tables parse through parseDocument', async () => {
    const html = `<html><body>${'<table><tr><td>'.repeat(5000)}格${'</td></tr></table>'.repeat(5000)}</body></html>`;
    const r = await parseDocument(new TextEncoder().encode(html), { filename: 'tables.html' });
    expect(r.isReport).toBe(false);
    expect(r.warnings.some((w) => w.startsWith('too_deep'))).toBe(true);
  });

  it('a real report below the cap is read exactly as without the guard', () => {
    const html = readFileSync(REAL, 'utf8');
    const guarded = guardedHtmlToBody(html);
    expect(guarded.warnings).toEqual([]);
    expect(guarded.body).toBe(htmlToBody(html).body);
  });
});

describe('pages too big for a DOM', () => {
  it('slimming removes scripts, styles, comments and inline data but keeps cells and links', () => {
    const s = slimHtml(
      '<script>var a="<td>";</script><style>td{}</style><!-- x --><td colspan="2" style="color:red" onclick="x()">1</td><a href="/f.pdf" data-x="y">f</a><img src="data:image/png;base64,AAAA">',
    );
    expect(s).toBe('<td colspan="2">1</td><a href="/f.pdf">f</a><img>');
  });

  it('flattening keeps paragraphs as lines and cells as tab-separated fields', () => {
    const body = flattenHtml(
      '<p>一、总体情况</p><table><tr><td>本年新收</td><td>12</td><td></td></tr><tr><th>合计</th><td>3&nbsp;</td></tr></table><div>结语 &amp; 说明</div><script>1<2</script>',
    );
    expect(body.split('\n')).toEqual(['一、总体情况', '本年新收\t12', '合计\t3', '结语 & 说明']);
  });

  it('a page over the DOM limit is read flat with its figures, and the body is cut at the body limit', () => {
    const html = readFileSync(REAL, 'utf8');
    const at = html.indexOf('</body>');
    const padded = html.slice(0, at) + '<p><span class="pad">填充段落内容，没有数字。</span></p>\n'.repeat(20_000) + html.slice(at);
    const limits = { maxDepth: 256, maxDomChars: 200_000, maxBodyChars: 150_000 };
    const r = guardedHtmlToBody(padded, undefined, limits);
    expect(r.warnings.some((w) => w.startsWith('too_large: ') && w.includes('read as flat text'))).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('too_large: body text'))).toBe(true);
    expect(r.body.length).toBeLessThanOrEqual(150_000);
    // The report text before the padding survives the flat route.
    expect(r.body).toContain('政府信息公开');
  });
});
