// Reads a WARC file record by record without warcio and checks what a replay tool relies on: the
// WARC/1.1 version line, Content-Length (the block has exactly that many bytes, then CRLF CRLF), the
// WARC-Block-Digest of every block and the WARC-Payload-Digest of every response (sha1, base32).
//   nianbao export --archive data/demo.sqlite --warc /tmp/demo.warc.gz
//   node --import tsx scripts/warc-verify.ts /tmp/demo.warc.gz
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function sha1b32(b: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of createHash('sha1').update(b).digest()) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return `sha1:${out}`;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: scripts/warc-verify.ts FILE.warc[.gz]');
  process.exit(2);
}
const raw = readFileSync(file);
const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
const types: Record<string, number> = {};
const problems: string[] = [];
let at = 0;
let records = 0;
while (at < bytes.length) {
  const headEnd = bytes.indexOf('\r\n\r\n', at);
  if (headEnd < 0) {
    problems.push(`offset ${at}: no end of headers`);
    break;
  }
  const [version, ...lines] = bytes.subarray(at, headEnd).toString('utf8').split('\r\n');
  const h = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const where = `record ${records + 1} (${h['warc-type']} ${h['warc-target-uri'] ?? ''})`;
  if (version !== 'WARC/1.1') problems.push(`${where}: version line ${version}`);
  const length = Number(h['content-length']);
  const block = bytes.subarray(headEnd + 4, headEnd + 4 + length);
  if (!Number.isInteger(length) || block.length !== length)
    problems.push(`${where}: Content-Length ${h['content-length']} but ${block.length} bytes`);
  if (bytes.subarray(headEnd + 4 + length, headEnd + 8 + length).toString('latin1') !== '\r\n\r\n')
    problems.push(`${where}: not followed by CRLF CRLF`);
  if (h['warc-block-digest'] && h['warc-block-digest'] !== sha1b32(block)) problems.push(`${where}: WARC-Block-Digest mismatch`);
  if (h['warc-type'] === 'response') {
    const payload = block.subarray(block.indexOf('\r\n\r\n') + 4);
    if (h['warc-payload-digest'] !== sha1b32(payload)) problems.push(`${where}: WARC-Payload-Digest mismatch`);
  }
  types[h['warc-type']] = (types[h['warc-type']] ?? 0) + 1;
  records++;
  at = headEnd + 8 + length;
}
console.log(
  `${file}: ${records} records (${Object.entries(types)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')}), ${problems.length} problems`,
);
for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
process.exit(problems.length ? 1 : 0);
