// Generators of hostile documents, shared by the unit tests (small sizes) and the chaos suite
// (scripts/chaos.ts, full sizes): zip and flate bombs, huge declared images, corrupt image headers,
// deep nesting, huge pages, undecodable bytes, and random mutations of real reports. Deterministic:
// every generator takes a seed, so a failure reproduces.
import { createDeflate, crc32 as zlibCrc32, deflateRawSync, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';

/** xorshift32: a reproducible byte source. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export function noise(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

const crc32 = (b: Uint8Array): number => (typeof zlibCrc32 === 'function' ? zlibCrc32(b) : crcFallback(b)) >>> 0;
function crcFallback(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

type ZipEntry = {
  name: string;
  data?: Uint8Array /** deflated bytes and the size they claim, for bombs */;
  raw?: { deflated: Uint8Array; size: number; crc: number };
};

/** A minimal zip (deflate entries, central directory). `raw` entries carry pre-deflated data. */
export function zip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const deflated = e.raw ? Buffer.from(e.raw.deflated) : deflateRawSync(e.data ?? new Uint8Array());
    const size = e.raw ? e.raw.size : (e.data?.length ?? 0);
    const crc = e.raw ? e.raw.crc : crc32(e.data ?? new Uint8Array());
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, deflated);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const DOCX_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const DOCX_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** Deflates `size` bytes of one repeated byte without holding them (64 MB pieces). */
export async function deflatedRun(size: number, byte = 0x20, raw = true): Promise<{ deflated: Uint8Array; crc: number }> {
  const { createDeflateRaw } = await import('node:zlib');
  const d = raw ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  const piece = Buffer.alloc(Math.min(size, 64 << 20), byte);
  let crc = 0;
  for (let left = size; left > 0; left -= piece.length) {
    const chunk = left >= piece.length ? piece : piece.subarray(0, left);
    crc = typeof zlibCrc32 === 'function' ? zlibCrc32(chunk, crc) : 0;
    if (!d.write(chunk)) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return { deflated: new Uint8Array(Buffer.concat(out)), crc: crc >>> 0 };
}

/** A DOCX whose word/document.xml claims (and inflates to) `size` bytes. */
export async function docxBomb(size: number): Promise<Uint8Array> {
  const { deflated, crc } = await deflatedRun(size);
  const enc = (s: string) => new TextEncoder().encode(s);
  return zip([
    { name: '[Content_Types].xml', data: enc(DOCX_TYPES) },
    { name: '_rels/.rels', data: enc(DOCX_RELS) },
    { name: 'word/document.xml', raw: { deflated, size, crc } },
  ]);
}

/** A PDF from object bodies (1-based), with a correct xref table. */
export function pdf(objects: Array<string | Uint8Array[]>): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunks = typeof body === 'string' ? [Buffer.from(body, 'latin1')] : body.map((b) => Buffer.from(b));
    const piece = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), ...chunks, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(piece);
    offset += piece.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const stream = (dict: string, data: Uint8Array): Uint8Array[] => [
  new TextEncoder().encode(`<< ${dict} /Length ${data.length} >>\nstream\n`),
  data,
  new TextEncoder().encode('\nendstream'),
];

/** A one-page PDF whose content stream inflates to `size` bytes of spaces. */
export async function pdfFlateBomb(size: number): Promise<Uint8Array> {
  const { deflated } = await deflatedRun(size, 0x20, false);
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    stream('/Filter /FlateDecode', deflated),
  ]);
}

/** A tiny PDF declaring one width×height grey image that fills the page. */
export function pdfHugeImage(width: number, height: number): Uint8Array {
  const data = deflateSync(Buffer.alloc(16));
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>',
    stream('', new TextEncoder().encode('q 595 0 0 842 0 0 cm /Im1 Do Q')),
    stream(
      `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
      data,
    ),
  ]);
}

/** PNG signature and IHDR for width×height (valid CRC), then `tail` bytes of noise. */
export function pngHeader(width: number, height: number, tail = 0, seed = 1): Uint8Array {
  const ihdr = Buffer.alloc(17);
  ihdr.write('IHDR', 0, 'latin1');
  ihdr.writeUInt32BE(width, 4);
  ihdr.writeUInt32BE(height, 8);
  ihdr[12] = 8;
  ihdr[13] = 0; // 8-bit grey
  const chunk = Buffer.alloc(25);
  chunk.writeUInt32BE(13, 0);
  ihdr.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(ihdr), 21);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk, Buffer.from(noise(tail, seed))]),
  );
}

/** A PNG signature followed by random bytes (the 10 KB file that hung the reader). */
export function pngNoise(size: number, seed: number): Uint8Array {
  const b = noise(size, seed);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
}

/** A JPEG start with a frame header for width×height, then noise. */
export function jpegHeader(width: number, height: number, tail = 0, seed = 1): Uint8Array {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00]);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]), sof, Buffer.from(noise(tail, seed))]),
  );
}

const enc = (s: string) => new TextEncoder().encode(s);

export const nestedDivs = (n: number) => enc(`<html><body>${'<div>'.repeat(n)}深${'</div>'.repeat(n)}</body></html>`);
export const nestedTables = (n: number) =>
  enc(`<html><body>${'<table><tr><td>'.repeat(n)}格${'</td></tr></table>'.repeat(n)}</body></html>`);
export const htmlNoise = (n: number, seed: number) => new Uint8Array([...enc('<html>'), ...noise(n, seed)]);

/** A real report page with `bytes` of filler paragraphs before </body>. */
export function hugePage(real: string, bytes: number): Uint8Array {
  const at = real.lastIndexOf('</body>') >= 0 ? real.lastIndexOf('</body>') : real.length;
  const filler = '<p><span style="color:#333">以下为填充段落，没有任何数字。</span></p>\n';
  return enc(real.slice(0, at) + filler.repeat(Math.ceil(bytes / Buffer.byteLength(filler))) + real.slice(at));
}

/** A report page in GBK bytes that declares UTF-8 (in <meta> and, for the caller, in HTTP). */
export function gbkUnderUtf8(real: string): Uint8Array {
  const html = /<meta[^>]+charset/i.test(real)
    ? real.replace(/charset\s*=\s*["']?[\w-]+/i, 'charset=utf-8')
    : real.replace(/<head[^>]*>/i, '$&<meta charset="utf-8">');
  return new Uint8Array(iconv.encode(html, 'gbk'));
}

/** Random damage to real bytes: flipped bytes, a cut, a duplicated or deleted run. */
export function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  const r = rng(seed);
  let b = Buffer.from(bytes);
  const ops = 1 + ((r() * 4) | 0);
  for (let k = 0; k < ops; k++) {
    const at = (r() * b.length) | 0;
    const len = 1 + ((r() * Math.min(4096, b.length / 4)) | 0);
    switch ((r() * 5) | 0) {
      case 0:
        for (let i = 0; i < len && at + i < b.length; i++) b[at + i] = (r() * 256) | 0;
        break;
      case 1:
        b = b.subarray(0, Math.max(1, at));
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
        break;
      default:
        b[at] ^= 1 << ((r() * 8) | 0);
    }
  }
  return new Uint8Array(b);
}

/** A valid white width×height greyscale PNG. */
export function whitePng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const rows = Buffer.alloc((width + 1) * height, 0xff);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A DOCX whose document.xml inflates to `size` bytes but whose headers declare only `declared`. */
export async function docxLiar(size: number, declared = 5000): Promise<Uint8Array> {
  const { deflated, crc } = await deflatedRun(size);
  const enc = (s: string) => new TextEncoder().encode(s);
  return zip([
    { name: '[Content_Types].xml', data: enc(DOCX_TYPES) },
    { name: '_rels/.rels', data: enc(DOCX_RELS) },
    { name: 'word/document.xml', raw: { deflated, size: declared, crc } },
  ]);
}
