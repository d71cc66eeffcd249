import { STATUS_CODES } from 'node:http';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { Archive } from '../../store/archive.ts';

// The archive's snapshots as a WARC 1.1 file (ISO 28500), for replay tools (pywb) and web archives.
// Each fetch with a body becomes a request record (synthesised: the archive does not keep request
// headers, only method GET, the target and Host) and a response record with the HTTP status line, the
// response headers as received and the body as stored. Repeated fetches of identical bytes become
// `revisit` records (profile identical-payload-digest) pointing at the first response, so a year of nightly
// crawls does not repeat every PDF. Digests are sha1 in base32, the form replay indexes (CDXJ) expect.

const WARC_VERSION = 'WARC/1.1';
const DIGEST = { algo: 'sha-1', prefix: 'sha1:', base32: true } as const;
const REVISIT_PROFILE = 'http://netpreserve.org/warc/1.1/revisit/identical-payload-digest';
// The stored body is the decoded entity: these headers described the wire form, not these bytes.
const WIRE_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length', 'connection', 'keep-alive']);

export type WarcExportStats = { responses: number; revisits: number; requests: number; bytes: number };

type FetchRow = {
  id: number;
  requested_url: string;
  final_url: string | null;
  status: number;
  headers: string | null;
  fetched_at: string;
  sha256: string;
};

function httpHeadersOf(json: string | null, bodyLength: number): Record<string, string> {
  const out: Record<string, string> = {};
  const parsed = json ? (JSON.parse(json) as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(parsed)) {
    if (WIRE_HEADERS.has(k.toLowerCase()) || v === null || v === undefined) continue;
    // Header values cannot hold line breaks; arrays (set-cookie) are joined as a folded list.
    out[k] = (Array.isArray(v) ? v.join(', ') : String(v)).replace(/[\r\n]+/g, ' ');
  }
  out['Content-Length'] = String(bodyLength);
  return out;
}

async function* once1(bytes: Uint8Array) {
  yield bytes;
}

/** Writes every fetched body of `archive` to `file` (gzip per record when the name ends in .gz). */
export async function exportWarc(archive: Archive, file: string, opts: { siteId?: string } = {}): Promise<WarcExportStats> {
  const gzip = file.endsWith('.gz');
  const out = createWriteStream(file);
  const write = async (bytes: Uint8Array) => {
    if (!out.write(bytes)) await once(out, 'drain');
  };
  const stats: WarcExportStats = { responses: 0, revisits: 0, requests: 0, bytes: 0 };
  try {
    const info = WARCRecord.createWARCInfo(
      { filename: file.split('/').pop(), warcVersion: WARC_VERSION },
      {
        software: 'nianbao',
        format: 'WARC File Format 1.1',
        description: 'Snapshots of a nianbao archive: government information-disclosure annual reports and the pages that lead to them',
      },
    );
    await write(await WARCSerializer.serialize(info, { gzip, digest: DIGEST }));
    const rows = archive.db
      .prepare(`SELECT id, requested_url, final_url, status, headers, fetched_at, sha256 FROM fetches
      WHERE sha256 IS NOT NULL AND status IS NOT NULL AND status <> 304 AND (@site IS NULL OR site_id = @site)
      ORDER BY fetched_at, id`)
      .iterate({ site: opts.siteId ?? null }) as IterableIterator<FetchRow>;
    const first = new Map<string, { url: string; date: string; digest: string }>();
    for (const f of rows) {
      const url = f.final_url ?? f.requested_url;
      const date = new Date(f.fetched_at).toISOString();
      const statusline = `HTTP/1.1 ${f.status} ${STATUS_CODES[f.status] ?? 'Unknown'}`;
      const seen = first.get(f.sha256);
      const responseId = `<urn:uuid:${randomUUID()}>`;
      let record: WARCRecord;
      if (seen) {
        const size = archive.db.prepare('SELECT size FROM snapshots WHERE sha256 = ?').get(f.sha256) as { size: number };
        record = WARCRecord.create(
          {
            url,
            date,
            type: 'revisit',
            warcVersion: WARC_VERSION,
            statusline,
            httpHeaders: httpHeadersOf(f.headers, size.size),
            refersToUrl: seen.url,
            refersToDate: seen.date,
            warcHeaders: { 'WARC-Record-ID': responseId, 'WARC-Profile': REVISIT_PROFILE, 'WARC-Payload-Digest': seen.digest },
          },
          once1(new Uint8Array(0)),
        );
        stats.revisits++;
      } else {
        const body = archive.getSnapshotBody(f.sha256)!;
        record = WARCRecord.create(
          {
            url,
            date,
            type: 'response',
            warcVersion: WARC_VERSION,
            statusline,
            httpHeaders: httpHeadersOf(f.headers, body.length),
            warcHeaders: { 'WARC-Record-ID': responseId },
          },
          once1(body),
        );
        stats.responses++;
      }
      const serialized = await WARCSerializer.serialize(record, { gzip, digest: DIGEST });
      if (!seen) first.set(f.sha256, { url, date, digest: record.warcPayloadDigest! });
      await write(serialized);
      const u = new URL(url);
      const request = WARCRecord.create(
        {
          url,
          date,
          type: 'request',
          warcVersion: WARC_VERSION,
          statusline: `GET ${u.pathname}${u.search} HTTP/1.1`,
          httpHeaders: { Host: u.host },
          warcHeaders: { 'WARC-Concurrent-To': responseId },
        },
        once1(new Uint8Array(0)),
      );
      await write(await WARCSerializer.serialize(request, { gzip, digest: DIGEST }));
      stats.requests++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  stats.bytes = out.bytesWritten;
  return stats;
}
