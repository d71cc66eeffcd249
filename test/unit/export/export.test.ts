import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { Archive } from '../../../src/store/index.ts';
import { SITE, report } from '../store/helpers.ts';
import { runCli, tmpDir } from '../workers/helpers.ts';

const dirs: ReturnType<typeof tmpDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const PAGE = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';
const PDF = 'http://www.yongxiu.gov.cn/files/report,2020.pdf';
const HTML = Buffer.from(
  '<html><head><meta charset="utf-8"><title>永修县2020年政府信息公开工作年度报告</title></head><body>年报</body></html>',
);
const PDF_BYTES = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)),
  Buffer.from('\r\n\r\n%%EOF'),
]);

function sampleArchive(): { file: string; dir: string } {
  const d = tmpDir('nianbao-export-');
  dirs.push(d);
  const file = path.join(d.dir, 'archive.sqlite');
  const a = Archive.open(file);
  a.upsertSite(SITE);
  a.upsertSite({ ...SITE, id: 'other', name: '其他县', regionCode: '110228', home: 'http://www.other.gov.cn/' });
  const page = a.putSnapshot({
    requestedUrl: PAGE,
    finalUrl: PAGE,
    status: 200,
    body: HTML,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    siteId: 'yongxiu',
    kind: 'report',
    contentType: 'text/html; charset=utf-8',
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', etag: '"a1"' },
  }).sha256!;
  // The same page again the next night (identical bytes: a revisit record), and the attachment.
  a.putSnapshot({
    requestedUrl: PAGE,
    finalUrl: PAGE,
    status: 200,
    body: HTML,
    fetchedAt: '2026-01-02T00:00:00.000Z',
    siteId: 'yongxiu',
    headers: { 'content-type': 'text/html' },
  });
  const pdf = a.putSnapshot({
    requestedUrl: PDF,
    finalUrl: PDF,
    status: 200,
    body: PDF_BYTES,
    fetchedAt: '2026-01-01T00:01:00.000Z',
    siteId: 'yongxiu',
    kind: 'attachment',
    headers: { 'Content-Type': 'application/pdf' },
  }).sha256!;
  a.putSnapshot({
    requestedUrl: 'http://www.yongxiu.gov.cn/missing',
    finalUrl: null,
    status: null,
    body: null,
    fetchedAt: '2026-01-01T00:02:00.000Z',
    siteId: 'yongxiu',
    error: 'ECONNREFUSED',
  });
  a.saveParse({
    snapshotSha: page,
    parserVersion: '1',
    url: PAGE,
    siteId: 'yongxiu',
    result: report({ figures: { 'applications.new.total': 17, 'review.total': 2 } }),
  });
  a.saveParse({
    snapshotSha: pdf,
    parserVersion: '1',
    url: 'http://www.other.gov.cn/r.pdf',
    siteId: 'other',
    result: report({
      year: 2021,
      title: '其他县2021年报告',
      region: { name: '其他县', code: '110228' },
      issuer: '其他县人民政府',
      figures: { 'applications.new.total': 5, 'litigation_direct.total': 1 },
    }),
  });
  a.close();
  return { file, dir: d.dir };
}

const sha1base32 = (b: Buffer) => {
  const digest = createHash('sha1').update(b).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return `sha1:${out}`;
};

type RawRecord = { headers: Record<string, string>; block: Buffer };

/**
 * An independent WARC reader (not warcio): version line, headers up to a blank line, exactly
 * Content-Length bytes of block, then the two CRLFs the format requires between records.
 */
function readWarc(bytes: Buffer): RawRecord[] {
  const records: RawRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    expect(headEnd, `record at ${at} has no header end`).toBeGreaterThan(at);
    const [version, ...lines] = bytes.subarray(at, headEnd).toString('utf8').split('\r\n');
    expect(version).toBe('WARC/1.1');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    expect(Number.isInteger(length)).toBe(true);
    const block = bytes.subarray(headEnd + 4, headEnd + 4 + length);
    expect(block.length).toBe(length);
    expect(bytes.subarray(headEnd + 4 + length, headEnd + 8 + length).toString('latin1')).toBe('\r\n\r\n');
    records.push({ headers, block });
    at = headEnd + 8 + length;
  }
  return records;
}

describe('nianbao export --warc', () => {
  for (const name of ['out.warc', 'out.warc.gz']) {
    it(`${name}: request/response records with correct lengths and digests, read back by an independent reader and by warcio`, async () => {
      const { file, dir } = sampleArchive();
      const out = path.join(dir, name);
      const r = await runCli('export', '--archive', file, '--warc', out);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/2 responses, 1 revisits, 3 requests/);
      const raw = readFileSync(out);
      const bytes = name.endsWith('.gz') ? gunzipSync(raw) : raw;
      const records = readWarc(bytes);
      expect(records.map((x) => x.headers['warc-type'])).toEqual([
        'warcinfo',
        'response',
        'request',
        'response',
        'request',
        'revisit',
        'request',
      ]);
      const responses = records.filter((x) => x.headers['warc-type'] === 'response');
      for (const rec of responses) {
        const split = rec.block.indexOf('\r\n\r\n');
        const payload = rec.block.subarray(split + 4);
        const httpHead = rec.block.subarray(0, split).toString('utf8');
        expect(rec.headers['content-type']).toBe('application/http; msgtype=response');
        expect(rec.headers['warc-payload-digest']).toBe(sha1base32(payload));
        expect(rec.headers['warc-block-digest']).toBe(sha1base32(rec.block));
        expect(httpHead).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        // The stored body is decoded: no Content-Encoding, and a Content-Length that fits it.
        expect(httpHead).not.toMatch(/content-encoding/i);
        expect(httpHead).toMatch(new RegExp(`\\r\\ncontent-length: ${payload.length}(\\r\\n|$)`, 'i'));
      }
      const byUri = Object.fromEntries(responses.map((x) => [x.headers['warc-target-uri'], x]));
      const payloadOf = (x: RawRecord) => x.block.subarray(x.block.indexOf('\r\n\r\n') + 4);
      expect(payloadOf(byUri[PAGE]).equals(HTML)).toBe(true);
      expect(payloadOf(byUri[PDF]).equals(PDF_BYTES)).toBe(true);
      const revisit = records.find((x) => x.headers['warc-type'] === 'revisit')!;
      expect(revisit.headers['warc-refers-to-target-uri']).toBe(PAGE);
      expect(revisit.headers['warc-payload-digest']).toBe(sha1base32(HTML));
      const requests = records.filter((x) => x.headers['warc-type'] === 'request');
      expect(requests[0].block.toString('utf8')).toMatch(
        /^GET \/art\/2021\/2\/20\/art_1_100\.html HTTP\/1\.1\r\nHost: www\.yongxiu\.gov\.cn\r\n/,
      );
      expect(requests[0].headers['warc-concurrent-to']).toBe(records[1].headers['warc-record-id']);

      // warcio's own parser, record by record.
      const seen: { type: string; uri: string | null | undefined; payload?: Buffer }[] = [];
      for await (const rec of WARCParser.iterRecords([new Uint8Array(raw)])) {
        const type = rec.warcType!;
        seen.push({ type, uri: rec.warcTargetURI, payload: type === 'response' ? Buffer.from(await rec.readFully(false)) : undefined });
      }
      expect(seen.map((s) => s.type)).toEqual(['warcinfo', 'response', 'request', 'response', 'request', 'revisit', 'request']);
      expect(seen.find((s) => s.uri === PDF && s.type === 'response')!.payload!.equals(PDF_BYTES)).toBe(true);
    });
  }
});

describe('nianbao export --format', () => {
  it("csv: one row per figure of the reports' latest parses, filtered by year, region and site", async () => {
    const { file, dir } = sampleArchive();
    const out = path.join(dir, 'f.csv');
    const r = await runCli('export', '--archive', file, '--format', 'csv', '--out', out);
    expect(r.out).toMatch(/4 figures written/);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'report_id,site_id,site_name,region_code,region_name,year,format,issuer,title,url,status,key,value,parser_version,parse_run_id',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(11, 13).join('='))).toEqual([
      'applications.new.total=17',
      'review.total=2',
      'applications.new.total=5',
      'litigation_direct.total=1',
    ]);
    await runCli('export', '--archive', file, '--format', 'csv', '--out', out, '--year', '2021');
    expect(readFileSync(out, 'utf8').trimEnd().split('\r\n')).toHaveLength(3);
    await runCli('export', '--archive', file, '--format', 'csv', '--out', out, '--region', '3604');
    expect(
      readFileSync(out, 'utf8')
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .every((l) => l.includes(',360425,')),
    ).toBe(true);
    await runCli('export', '--archive', file, '--format', 'csv', '--out', out, '--site', 'other');
    expect(readFileSync(out, 'utf8').trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('--wide: one row per report with its figures as columns; jsonl carries them as an object', async () => {
    const { file, dir } = sampleArchive();
    const out = path.join(dir, 'w.csv');
    await runCli('export', '--archive', file, '--format', 'csv', '--wide', '--out', out);
    const [head, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    const cols = head.split(',');
    expect(cols.slice(-3)).toEqual(['applications.new.total', 'litigation_direct.total', 'review.total']);
    expect(rows.map((l) => l.split(',').slice(-3))).toEqual([
      ['17', '', '2'],
      ['5', '1', ''],
    ]);
    const jl = path.join(dir, 'w.jsonl');
    await runCli('export', '--archive', file, '--format', 'jsonl', '--wide', '--out', jl, '--year', '2020');
    const objs = readFileSync(jl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs).toEqual([
      expect.objectContaining({ year: 2020, site_id: 'yongxiu', figures: { 'applications.new.total': 17, 'review.total': 2 } }),
    ]);
  });

  it('refuses a missing or unknown format with one line naming it', async () => {
    const { file, dir } = sampleArchive();
    const r = await runCli('export', '--archive', file, '--format', 'xlsx', '--out', path.join(dir, 'x'));
    expect(r.code).toBe(1);
    expect(r.err).toBe('nianbao: --format must be csv or jsonl, got "xlsx"\n');
  });
});
