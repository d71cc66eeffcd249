import { describe, expect, it } from 'vitest';
import { scoreAgainstManifest } from '../../../src/cli/commands/demo.ts';
import type { Manifest, ManifestReport } from '../../../src/sim/index.ts';
import type { ParseResult } from '../../../src/schema/parse-result.ts';
import { Archive } from '../../../src/store/archive.ts';

const H = 'http://www.x.gov.cn.test';
const report = (url: string, year: number, over: Partial<ManifestReport> = {}): ManifestReport =>
  ({
    url,
    siteId: 'x',
    year,
    regionCode: '360425',
    regionName: '某县',
    issuer: '某县人民政府',
    title: `${year}年报告`,
    publishedAt: `${year + 1}-01-20`,
    format: '2021',
    kind: 'html',
    figures: {},
    ...over,
  }) as ManifestReport;
const result = (year: number, code: string | null, isReport = true): ParseResult => ({
  isReport,
  title: `${year}年报告`,
  year,
  region: { name: null, code },
  issuer: null,
  publishedAt: null,
  format: '2021',
  figures: { 'applications.new.total': year },
  checks: [],
  warnings: [],
});

describe('scoring the demo against the manifest', () => {
  it('counts found, missing, duplicate and decoy reports, and metadata accuracy', () => {
    const a = Archive.open(':memory:');
    a.upsertSite({ id: 'x', name: '某县', regionCode: '360425', home: `${H}/`, allowHosts: [], maxPages: 10 });
    const put = (url: string, text: string, r: ParseResult) => {
      const sha = a.putSnapshot({ requestedUrl: url, body: Buffer.from(text), status: 200, siteId: 'x', kind: 'report' }).sha256!;
      a.saveParse({ snapshotSha: sha, parserVersion: 't', url, siteId: 'x', result: r });
    };
    put(`${H}/2022.html`, 'a', result(2022, '360425'));
    put(`${H}/2021.html`, 'b', result(2020, '360425')); // wrong year
    put(`https://x.gov.cn.test/2023-alias.html`, 'c', result(2023, '110000')); // found via an alias, wrong region
    // a second copy of 2022 whose figures were misread, so the archive cannot tell it is the same report
    put(`${H}/big5/2022.html`, 'd', { ...result(2022, '360425'), figures: { 'applications.new.total': 2021 } });
    put(`${H}/notice.html`, 'e', result(2024, '360425')); // a decoy taken for a report
    put(`${H}/other.html`, 'f', result(2024, '360425', false)); // read as not a report: not archived
    const manifest = {
      seed: 1,
      sites: [],
      reports: [
        report(`${H}/2022.html`, 2022, { aliases: [`${H}/big5/2022.html`] }),
        report(`${H}/2021.html`, 2021),
        report(`${H}/2023.html`, 2023, { aliases: [`${H}/2023-alias.html`] }),
        report(`${H}/2024.pdf`, 2024),
        report(`${H}/2022.docx`, 2022, { attachmentOf: `${H}/2022.html` }),
      ],
      decoys: [{ url: `${H}/notice.html`, title: '通知', siteId: 'x', type: 'notice' }],
    } as Manifest;
    const s = scoreAgainstManifest(a, manifest, new Set(['x']));
    expect(s).toMatchObject({
      expected: 4,
      found: 3,
      archived: 5,
      duplicates: 1,
      decoys: 1,
      yearCorrect: 2,
      regionCorrect: 2,
      missing: [`${H}/2024.pdf`],
      decoysArchived: [`${H}/notice.html`],
      falsePositives: [`${H}/notice.html`],
    });
    expect(s.recall).toBeCloseTo(0.75);
    expect(s.precision).toBeCloseTo(3 / 5);
    a.close();
  });
});
