// Caps checked BEFORE a reader allocates: what a container declares (zip entry sizes, image dimensions)
// and what a PDF's compressed streams really inflate to (counted in small chunks, never held). A reader
// given a document that passes these can still misbehave; the sandbox (sandbox.ts) bounds heap, RSS and
// wall clock for that. Here only cheap, early, precise refusals with a reason a person can act on.
import { createInflate, createInflateRaw, constants as zlibConstants } from 'node:zlib';
import { DocumentError } from './errors.ts';

export type ContentLimits = {
  /** Sum of a zip package's declared uncompressed sizes (DOCX/XLSX). */
  maxUnpackedBytes: number;
  /** One PDF stream (content stream, image, font) after inflation. */
  maxStreamBytes: number;
  /** Width × height of one image (an A4 page at 600 dpi is ~35 Mpx). */
  maxImagePixels: number;
};

export const DEFAULT_CONTENT_LIMITS: ContentLimits = {
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxStreamBytes: 96 * 1024 * 1024,
  maxImagePixels: 64_000_000,
};

const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

/** DOCX/XLSX: the central directory's declared sizes, before any entry is inflated. */
export function checkZipPackage(bytes: Uint8Array, filename: string | null, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): void {
  const b = buf(bytes);
  // End of central directory: 22 bytes plus a comment of at most 64 KB, at the very end.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return; // no directory: the reader reports the package as damaged
  const entries = b.readUInt16LE(eocd + 10);
  let off = b.readUInt32LE(eocd + 16);
  let total = 0;
  for (let k = 0; k < entries && off + 46 <= b.length; k++) {
    if (b.readUInt32LE(off) !== 0x02014b50) break;
    const compressed = b.readUInt32LE(off + 20);
    const size = b.readUInt32LE(off + 24);
    const nameLen = b.readUInt16LE(off + 28);
    const name = b.toString('utf8', off + 46, Math.min(b.length, off + 46 + nameLen));
    // 0xFFFFFFFF defers to a ZIP64 record: an Office package never needs 4 GB entries.
    if (size === 0xffffffff || compressed === 0xffffffff)
      throw new DocumentError('bomb', filename, `zip entry ${name} declares a ZIP64 size (over 4 GB)`);
    total += size;
    if (total > limits.maxUnpackedBytes) {
      throw new DocumentError(
        'bomb',
        filename,
        `zip package unpacks to more than ${mb(limits.maxUnpackedBytes)} (entry ${name}: ${size} bytes from ${compressed})`,
      );
    }
    off += 46 + nameLen + b.readUInt16LE(off + 30) + b.readUInt16LE(off + 32);
  }
}

/**
 * DOCX/XLSX whose entries lie about their sizes: every deflated entry big enough to pass the cap
 * (compressed × 1032) is inflated and counted, not kept; the package's total must stay under the cap.
 */
export async function checkZipInflation(
  bytes: Uint8Array,
  filename: string | null,
  limits: ContentLimits = DEFAULT_CONTENT_LIMITS,
): Promise<void> {
  const b = buf(bytes);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return;
  const entries = b.readUInt16LE(eocd + 10);
  let off = b.readUInt32LE(eocd + 16);
  let total = 0;
  for (let k = 0; k < entries && off + 46 <= b.length; k++) {
    if (b.readUInt32LE(off) !== 0x02014b50) break;
    const method = b.readUInt16LE(off + 10);
    const compressed = b.readUInt32LE(off + 20);
    const declared = b.readUInt32LE(off + 24);
    const nameLen = b.readUInt16LE(off + 28);
    const local = b.readUInt32LE(off + 42);
    const name = b.toString('utf8', off + 46, Math.min(b.length, off + 46 + nameLen));
    off += 46 + nameLen + b.readUInt16LE(off + 30) + b.readUInt16LE(off + 32);
    if (method !== 8 || local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) {
      total += declared;
      continue;
    }
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (compressed * DEFLATE_MAX_RATIO <= limits.maxUnpackedBytes - total) {
      total += declared;
      continue;
    }
    const size = await inflatedSize(bytes.subarray(start, Math.min(b.length, start + compressed)), limits.maxUnpackedBytes - total, true);
    total += size;
    if (total > limits.maxUnpackedBytes) {
      throw new DocumentError(
        'bomb',
        filename,
        `zip package inflates to more than ${mb(limits.maxUnpackedBytes)} (entry ${name} declares ${declared} bytes)`,
      );
    }
  }
}

export type ImageType = 'png' | 'jpeg' | 'gif' | 'tiff' | 'bmp' | 'webp';

// CRC-32 (IEEE), for the PNG header chunk only.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Image dimensions from the header, or null when the format keeps them somewhere this does not read. */
export function imageDimensions(bytes: Uint8Array, type: ImageType, filename: string | null): { width: number; height: number } | null {
  const b = buf(bytes);
  const damaged = (why: string) => new DocumentError('truncated', filename, `${type.toUpperCase()} header is damaged: ${why}`);
  if (type === 'png') {
    if (b.length < 33) throw damaged('shorter than a PNG header');
    if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') throw damaged('first chunk is not IHDR');
    if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) throw damaged('IHDR checksum mismatch');
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (type === 'jpeg') {
    let off = 2;
    for (let k = 0; k < 4096 && off + 4 <= b.length; k++) {
      if (b[off] !== 0xff) throw damaged(`no marker at byte ${off}`);
      const marker = b[off + 1];
      if (marker === 0xff) {
        off++;
        continue;
      } // fill byte
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        off += 2;
        continue;
      }
      const len = b.readUInt16BE(off + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        if (off + 9 > b.length) throw damaged('frame header cut off');
        return { width: b.readUInt16BE(off + 7), height: b.readUInt16BE(off + 5) };
      }
      if (marker === 0xda || marker === 0xd9) throw damaged('no frame header before the image data');
      if (len < 2) throw damaged(`segment of length ${len}`);
      off += 2 + len;
    }
    throw damaged('no frame header');
  }
  if (type === 'gif')
    return b.length >= 10
      ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8) }
      : (() => {
          throw damaged('shorter than a GIF header');
        })();
  if (type === 'bmp')
    return b.length >= 26
      ? { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) }
      : (() => {
          throw damaged('shorter than a BMP header');
        })();
  return null;
}

/** An image document: a readable header whose pixel count is within the cap, before any decoder runs. */
export function checkImage(
  bytes: Uint8Array,
  type: ImageType,
  filename: string | null,
  limits: ContentLimits = DEFAULT_CONTENT_LIMITS,
): void {
  const dims = imageDimensions(bytes, type, filename);
  if (!dims) return;
  if (dims.width === 0 || dims.height === 0)
    throw new DocumentError('truncated', filename, `${type.toUpperCase()} header declares a ${dims.width}×${dims.height} image`);
  if (dims.width * dims.height > limits.maxImagePixels) {
    throw new DocumentError(
      'too_large',
      filename,
      `image of ${dims.width}×${dims.height} px is over the ${limits.maxImagePixels / 1e6} Mpx cap`,
    );
  }
}

/** Bytes a zlib stream (raw deflate with `raw`) inflates to, counted chunk by chunk; stops once over `cap`. */
export function inflatedSize(data: Uint8Array, cap: number, raw = false): Promise<number> {
  return new Promise((resolve) => {
    // Sync flush: a stream cut short still counts what it gives (pdf.js reads those too).
    const opts = { finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 };
    const inflate = raw ? createInflateRaw(opts) : createInflate(opts);
    let n = 0;
    let done = false;
    const finish = (v: number) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    inflate.on('data', (c: Buffer) => {
      n += c.length;
      if (n > cap) {
        finish(n);
        inflate.destroy();
      }
    });
    inflate.on('end', () => finish(n));
    inflate.on('error', () => finish(n));
    inflate.on('close', () => finish(n));
    inflate.end(buf(data));
  });
}

// Deflate cannot exceed ~1032:1, so a stream whose compressed bytes are below cap/1032 is safe unread.
const DEFLATE_MAX_RATIO = 1032;

/**
 * PDF: every image's declared /Width × /Height, and every Flate stream that could inflate past the
 * stream cap is inflated (counted, not kept). Image dictionaries are never inside object streams (a
 * stream cannot be), so they are plain text in the file.
 */
export async function checkPdf(bytes: Uint8Array, filename: string | null, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): Promise<void> {
  const text = buf(bytes).toString('latin1');
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index > 0 && /[a-z]/i.test(text[m.index - 1])) continue; // the tail of `endstream`
    const dictStart = text.lastIndexOf('obj', m.index);
    const dict = text.slice(dictStart >= 0 && m.index - dictStart < 8192 ? dictStart : Math.max(0, m.index - 2048), m.index);
    const start = m.index + m[0].length;
    const lengthDirect = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    let end = lengthDirect ? start + Number(lengthDirect[1]) : -1;
    if (end < start || end > text.length || text.slice(end, end + 32).indexOf('endstream') < 0) end = text.indexOf('endstream', start);
    if (end < 0) end = text.length;
    re.lastIndex = Math.max(re.lastIndex, end);
    if (/\/Subtype\s*\/Image/.test(dict)) {
      const w = /\/(?:Width|W)\s+(\d+)/.exec(dict);
      const h = /\/(?:Height|H)\s+(\d+)/.exec(dict);
      if (w && h && Number(w[1]) * Number(h[1]) > limits.maxImagePixels) {
        throw new DocumentError(
          'too_large',
          filename,
          `PDF image of ${w[1]}×${h[1]} px is over the ${limits.maxImagePixels / 1e6} Mpx cap`,
        );
      }
    }
    if (/\/(?:FlateDecode|Fl)\b/.test(dict) && end - start > limits.maxStreamBytes / DEFLATE_MAX_RATIO) {
      const size = await inflatedSize(bytes.subarray(start, end), limits.maxStreamBytes);
      if (size > limits.maxStreamBytes) {
        throw new DocumentError('bomb', filename, `PDF stream of ${end - start} bytes inflates to more than ${mb(limits.maxStreamBytes)}`);
      }
    }
  }
}
