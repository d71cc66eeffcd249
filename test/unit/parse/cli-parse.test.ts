import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/commands/parse.ts';
import { ParseResultSchema } from '../../../src/schema/parse-result.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
}

async function run(args: string[]) {
  const out = capture();
  const err = capture();
  const ctx = { stdout: out.stream, stderr: err.stream, exitCode: 0 };
  await parseCommand(ctx).parseAsync(['node', 'parse', ...args]);
  return { code: ctx.exitCode, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-parse-'));
const REPORT = [
  '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>',
  '<h1>永修县2020年政府信息公开工作年度报告</h1>',
  '<p>发布日期：2021-02-20</p>',
  '<p>本报告依据《中华人民共和国政府信息公开条例》编制。统计期限自2020年1月1日至2020年12月31日。</p>',
  '<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>',
  '</body></html>',
].join('');

describe('nianbao parse', () => {
  it('prints the ParseResult JSON for a GBK page and exits 0', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, iconv.encode(REPORT, 'gbk'));
    const r = await run([file, '--json']);
    expect(r.code).toBe(0);
    const json = ParseResultSchema.parse(JSON.parse(r.stdout));
    expect(json).toMatchObject({ isReport: true, year: 2020, publishedAt: '2021-02-20', region: { code: '360425' } });
    expect(json.body).toBeUndefined();
  });

  it('exits 0 with isReport false for a readable non-report', async () => {
    const file = join(dir, 'notice.txt');
    writeFileSync(file, '关于做好2020年度政府信息公开工作年度报告编制工作的通知\n请于1月31日前报送。');
    const r = await run([file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).isReport).toBe(false);
  });

  it('prints a short human summary without --json', async () => {
    const file = join(dir, 'report2.html');
    writeFileSync(file, REPORT.replace('charset=gbk', 'charset=utf-8'));
    const r = await run([file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('永修县2020年政府信息公开工作年度报告');
    expect(r.stdout).toContain('360425');
  });

  it('fails with one stderr line naming the input when the file cannot be read', async () => {
    const file = join(dir, 'missing.pdf');
    const r = await run([file, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
  });
});

describe('sniffInput', async () => {
  const { sniffInput } = await import('../../../src/parse/parse-file.ts');
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('trusts magic bytes over a misleading name', () => {
    expect(sniffInput(bytes('%PDF-1.7\n...'), { filename: 'report.html' })).toBe('document');
    expect(sniffInput(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), { filename: 'report.doc' })).toBe('document');
  });

  it('reads markup saved under a Word name as HTML, and plain text as text', () => {
    expect(sniffInput(bytes('<html><body><p>报告</p></body></html>'), { filename: '年报.doc' })).toBe('html');
    expect(sniffInput(bytes("<p style='text-align:center'>2019年…</p>"), {})).toBe('html');
    expect(sniffInput(bytes('永修县2020年政府信息公开工作年度报告'), { filename: 'a.txt' })).toBe('text');
    expect(sniffInput(bytes('永修县2020年政府信息公开工作年度报告'), { contentType: 'text/html; charset=utf-8' })).toBe('html');
  });
});
