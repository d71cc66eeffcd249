// Scans → the same page geometry the PDF path produces: tesseract word boxes as text items, and ruling
// lines found in the raster as segments, so layout.ts rebuilds rows and cells the same way for both.
// Table rules are erased from the image before OCR: tesseract otherwise reads them as 丨, 一 or 1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentError } from './errors.ts';
import { findGrids, gridBlocks, type PageGeometry, type Segment, type TextItem } from './layout.ts';
import { imagesToPdf, rasterisePdf } from './render/scan.ts';
import { runTool, ToolMissingError, ToolTimeoutError } from './tools.ts';

export const OCR_WARNING = 'ocr: figures read by OCR';
export const OCR_DPI = 200;

type Gray = { width: number; height: number; data: Uint8Array };

export function parsePgm(buf: Buffer): Gray {
  // P5 header: magic, width, height, maxval, each separated by whitespace (comments allowed).
  let pos = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) {
      while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      continue;
    }
    let t = '';
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) t += String.fromCharCode(buf[pos++]);
    tokens.push(t);
  }
  pos++;
  const [magic, w, h, max] = tokens;
  if (magic !== 'P5' || Number(max) > 255) throw new Error(`unexpected raster format ${magic}/${max}`);
  const width = Number(w),
    height = Number(h);
  return { width, height, data: new Uint8Array(buf.buffer, buf.byteOffset + pos, width * height) };
}

function toPgm(g: Gray): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${g.width} ${g.height}\n255\n`, 'latin1'), Buffer.from(g.data)]);
}

/**
 * Long straight dark runs are table rules. Returns them as segments and erases them (in a copy) so
 * the OCR engine sees only text. `minRun` is far longer than any stroke of a character at OCR_DPI.
 */
export function findRules(g: Gray, minRun = Math.round(OCR_DPI * 0.3)): { segs: Segment[]; cleaned: Gray } {
  const { width: W, height: H, data } = g;
  // Generous: rules in rotated or resampled scans are anti-aliased to mid grey.
  const dark = (x: number, y: number) => data[y * W + x] < 190;
  // A levelled scan still steps by a pixel here and there: a run may wander ±1 pixel across its length.
  const darkH = (x: number, y: number) => dark(x, y) || (y > 0 && dark(x, y - 1)) || (y + 1 < H && dark(x, y + 1));
  const darkV = (x: number, y: number) => dark(x, y) || (x > 0 && dark(x - 1, y)) || (x + 1 < W && dark(x + 1, y));
  const segs: Segment[] = [];
  const out = new Uint8Array(data);
  const erase = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < W && y < H) out[y * W + x] = 255;
  };
  for (let y = 0; y < H; y++) {
    let x = 0;
    while (x < W) {
      if (!darkH(x, y)) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < W && darkH(x, y)) x++;
      if (x - x0 >= minRun) {
        segs.push([x0, y, x - 1, y]);
        for (let k = x0; k < x; k++) for (let d = -2; d <= 2; d++) erase(k, y + d);
      }
    }
  }
  for (let x = 0; x < W; x++) {
    let y = 0;
    while (y < H) {
      if (!darkV(x, y)) {
        y++;
        continue;
      }
      const y0 = y;
      while (y < H && darkV(x, y)) y++;
      if (y - y0 >= minRun) {
        segs.push([x, y0, x, y - 1]);
        for (let k = y0; k < y; k++) for (let d = -2; d <= 2; d++) erase(x + d, k);
      }
    }
  }
  return { segs, cleaned: { width: W, height: H, data: out } };
}

/** tesseract TSV (level 5 = words) → text items in pixel coordinates, one list per input image. */
export function tsvToItems(tsv: string, minConf = 0): TextItem[][] {
  const pages: TextItem[][] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const page = Math.max(0, Number(f[1]) - 1);
    pages[page] ??= [];
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    if (!text || conf < minConf) continue;
    const t = cleanOcrToken(text);
    if (!t) continue;
    const [left, top, width, height] = f.slice(6, 10).map(Number);
    // Baseline ≈ box bottom; layout.ts works from baseline and glyph height.
    pages[page].push({ s: t, x: left, y: top + height, w: width, h: Math.max(height, 8) });
  }
  return Array.from(pages, (p) => p ?? []);
}

/**
 * Table cells hold numbers, and tesseract's chi_sim model reads a lone 0 as o/O and picks up specks
 * as quotes. Only tokens made of digit look-alikes are changed, so Latin words in prose survive.
 */
export function cleanOcrToken(text: string): string {
  const stripped = text.replace(/^[“”"'‘’`·.,，。、:：;；|]+|[“”"'‘’`·,，。、:：;；|]+$/g, '');
  if (/^[-+]?[\doO]+(\.[\doO]+)?$/.test(stripped) && (/\d/.test(stripped) || /^[oO]{1,3}$/.test(stripped))) {
    return stripped.replace(/[oO]/g, '0');
  }
  return text;
}

/**
 * Skew of a scanned page in degrees (positive = content rotated clockwise), by the projection-profile
 * method: text lines and table rules give the sharpest row histogram when sheared back to level.
 * Works on a downsampled copy; range ±3°, step 0.05°.
 */
export function estimateSkew(g: Gray): number {
  const step = Math.max(1, Math.floor(g.width / 500));
  const pts: [number, number][] = [];
  for (let y = 0; y < g.height; y += step) for (let x = 0; x < g.width; x += step) if (g.data[y * g.width + x] < 128) pts.push([x, y]);
  if (pts.length < 100) return 0;
  const rows = Math.ceil(g.height / step) + 2;
  const score = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    const hist = new Float64Array(rows * 2);
    for (const [x, y] of pts) {
      const r = Math.round((y - x * t) / step) + rows / 2;
      if (r >= 0 && r < hist.length) hist[r]++;
    }
    let sum = 0;
    for (const v of hist) sum += v * v;
    return sum;
  };
  let best = 0,
    bestScore = score(0);
  for (let d = -3; d <= 3.0001; d += 0.25) {
    const sc = score(d);
    if (sc > bestScore) {
      bestScore = sc;
      best = d;
    }
  }
  const coarse = best;
  for (let d = coarse - 0.25; d <= coarse + 0.25; d += 0.05) {
    const sc = score(d);
    if (sc > bestScore) {
      bestScore = sc;
      best = d;
    }
  }
  return Math.round(best * 100) / 100;
}

/** Rotates a gray image about its centre (nearest neighbour; white fill). */
export function rotateGray(g: Gray, deg: number): Gray {
  const a = (deg * Math.PI) / 180,
    cos = Math.cos(a),
    sin = Math.sin(a);
  const { width: W, height: H } = g;
  const cx = W / 2,
    cy = H / 2;
  const out = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < H; y++) {
    const dy = y - cy;
    for (let x = 0; x < W; x++) {
      const dx = x - cx;
      const sx = Math.round(cx + dx * cos - dy * sin),
        sy = Math.round(cy + dx * sin + dy * cos);
      if (sx >= 0 && sy >= 0 && sx < W && sy < H) out[y * W + x] = g.data[sy * W + sx];
    }
  }
  return { width: W, height: H, data: out };
}

/** Cell images get this much white margin: tesseract misses glyphs that touch the image edge. */
const CELL_PAD = 12;
/** Rules within this many pixels are one rule (≈ 2 pt at OCR_DPI). */
const PIXEL_TOLERANCE = Math.round((2 * OCR_DPI) / 72);

function crop(g: Gray, x0: number, y0: number, x1: number, y1: number, pad: number): Gray {
  const w = Math.max(1, x1 - x0),
    h = Math.max(1, y1 - y0);
  const W = w + 2 * pad,
    H = h + 2 * pad;
  const data = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < h; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= g.height) continue;
    for (let x = 0; x < w; x++) {
      const sx = x0 + x;
      if (sx >= 0 && sx < g.width) data[(y + pad) * W + x + pad] = g.data[sy * g.width + sx];
    }
  }
  return { width: W, height: H, data };
}

/**
 * One page: the rules give the table grid; every cell is cut out and read on its own, so digits of
 * neighbouring cells can never run together and wrapped labels are read as one block. Text outside the
 * tables is read from the page with the tables blanked. All images go to ONE tesseract run (a list
 * file), so the model loads once per page.
 */
async function ocrGray(page: Gray, dir: string, name: string, timeoutMs: number): Promise<PageGeometry> {
  // Rules are found as straight pixel runs, so a tilted scan is levelled first.
  const skew = estimateSkew(page);
  const g = Math.abs(skew) >= 0.1 ? rotateGray(page, skew) : page;
  const { segs, cleaned } = findRules(g);
  const grids = findGrids(segs, PIXEL_TOLERANCE);
  const rest: Gray = { width: cleaned.width, height: cleaned.height, data: new Uint8Array(cleaned.data) };
  const images: { file: string; dx: number; dy: number }[] = [];
  const inset = 3;
  for (const grid of grids) {
    for (const b of gridBlocks(grid, PIXEL_TOLERANCE).blocks) {
      const x0 = Math.round(b.x0) + inset,
        y0 = Math.round(b.y0) + inset,
        x1 = Math.round(b.x1) - inset,
        y1 = Math.round(b.y1) - inset;
      if (x1 - x0 < 4 || y1 - y0 < 4) continue;
      const cell = crop(cleaned, x0, y0, x1, y1, CELL_PAD);
      // Blank cells are common (and slow to OCR for nothing): skip images with no dark pixels.
      if (!cell.data.some((v) => v < 128)) continue;
      const file = join(dir, `${name}-c${images.length}.pgm`);
      await writeFile(file, toPgm(cell));
      images.push({ file, dx: x0 - CELL_PAD, dy: y0 - CELL_PAD });
    }
    for (let y = Math.max(0, Math.round(grid.y0) - 2); y < Math.min(rest.height, Math.round(grid.y1) + 3); y++) {
      rest.data.fill(
        255,
        y * rest.width + Math.max(0, Math.round(grid.x0) - 2),
        y * rest.width + Math.min(rest.width, Math.round(grid.x1) + 3),
      );
    }
  }
  const pageFile = join(dir, `${name}.pgm`);
  await writeFile(pageFile, toPgm(rest));
  const all = [{ file: pageFile, dx: 0, dy: 0 }, ...images];
  const list = join(dir, `${name}.txt`);
  await writeFile(list, all.map((i) => i.file).join('\n') + '\n');
  const byImage = await tesseractItems(list, timeoutMs);
  const items: TextItem[] = [];
  byImage.forEach((its, k) => {
    const off = all[k];
    if (!off) return;
    for (const it of k === 0 ? its : joinDigitRuns(its)) items.push({ ...it, x: it.x + off.dx, y: it.y + off.dy });
  });
  return toPoints({ width: g.width, height: g.height, items, segs });
}

/**
 * Inside one cell tesseract sometimes breaks a number into words (`311 9`). Numeric words on the same
 * line closer than a glyph's height are one number. Only used for cell images: a printed cell holding
 * several numbers far apart (a damaged layout) keeps them apart.
 */
export function joinDigitRuns(items: TextItem[]): TextItem[] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const out: TextItem[] = [];
  for (const it of sorted) {
    const prev = out[out.length - 1];
    const numeric = (s: string) => /^[-+]?[\d.,]+$/.test(s);
    if (
      prev &&
      numeric(prev.s) &&
      numeric(it.s) &&
      Math.abs(prev.y - it.y) < Math.max(prev.h, it.h) / 2 &&
      it.x - (prev.x + prev.w) < Math.max(prev.h, it.h) * 0.6 &&
      it.x >= prev.x
    ) {
      out[out.length - 1] = { ...prev, s: prev.s + it.s, w: it.x + it.w - prev.x, h: Math.max(prev.h, it.h) };
    } else out.push(it);
  }
  return out;
}

async function tesseractItems(file: string, timeoutMs: number): Promise<TextItem[][]> {
  // psm 6 (one uniform block) reads a cell's wrapped lines in order and keeps prose lines whole.
  // OMP_THREAD_LIMIT=1: tesseract's threads only contend on small machines.
  const { stdout } = await runTool(
    process.env.NIANBAO_TESSERACT ?? 'tesseract',
    [file, 'stdout', '-l', 'chi_sim', '--psm', '6', '--dpi', String(OCR_DPI), '-c', 'preserve_interword_spaces=1', 'tsv'],
    {
      timeoutMs,
      pkg: 'tesseract-ocr tesseract-ocr-chi-sim',
      env: { OMP_THREAD_LIMIT: '1' },
    },
  );
  return tsvToItems(stdout.toString('utf8'));
}

/** Pixels → PDF points, so OCR pages and text pages share margins and tolerances in one document. */
function toPoints(p: PageGeometry): PageGeometry {
  const k = 72 / OCR_DPI;
  return {
    width: p.width * k,
    height: p.height * k,
    items: p.items.map((i) => ({ ...i, x: i.x * k, y: i.y * k, w: i.w * k, h: i.h * k })),
    segs: p.segs.map((sg) => sg.map((v) => v * k) as Segment),
  };
}

function wrapToolError(e: unknown, filename: string | null): never {
  if (e instanceof DocumentError) throw e;
  if (e instanceof ToolMissingError) throw new DocumentError('unsupported', filename, `scan needs OCR: ${e.message}`, { cause: e });
  if (e instanceof ToolTimeoutError) throw new DocumentError('timeout', filename, `OCR: ${e.message}`, { cause: e });
  throw new DocumentError('unsupported', filename, `OCR failed: ${(e as Error)?.message ?? e}`, { cause: e });
}

/** OCR the given 1-based pages of a PDF. */
export async function ocrPdfPages(
  bytes: Uint8Array,
  pages: number[],
  o: { filename: string | null; timeoutMs: number },
): Promise<PageGeometry[]> {
  const deadline = Date.now() + o.timeoutMs;
  const left = () => {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new ToolTimeoutError('OCR', o.timeoutMs);
    return ms;
  };
  const dir = await mkdtemp(join(tmpdir(), 'nianbao-ocr-'));
  try {
    const out: PageGeometry[] = [];
    for (const p of pages) {
      const [pgm] = await rasterisePdf(bytes, { dpi: OCR_DPI, firstPage: p, lastPage: p, gray: true, format: 'pgm', timeoutMs: left() });
      if (!pgm) throw new Error(`page ${p} was not rasterised`);
      out.push(await ocrGray(parsePgm(pgm), dir, `p${p}`, left()));
    }
    return out;
  } catch (e) {
    wrapToolError(e, o.filename);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OCR an image file. PNG/JPEG go through a one-page PDF so rules can be found in a known raster. */
export async function ocrImage(
  bytes: Uint8Array,
  type: string,
  o: { filename: string | null; timeoutMs: number },
): Promise<PageGeometry[]> {
  if (type === 'png' || type === 'jpeg') {
    let pdf: Buffer;
    try {
      pdf = await imagesToPdf([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
    } catch (e) {
      throw new DocumentError('truncated', o.filename, `image could not be decoded: ${(e as Error).message}`, { cause: e });
    }
    return ocrPdfPages(pdf, [1], o);
  }
  const dir = await mkdtemp(join(tmpdir(), 'nianbao-ocr-'));
  try {
    const file = join(dir, `in.${type}`);
    await writeFile(file, bytes);
    const items = (await tesseractItems(file, o.timeoutMs))[0] ?? [];
    const width = Math.max(1, ...items.map((i) => i.x + i.w));
    const height = Math.max(1, ...items.map((i) => i.y));
    return [toPoints({ width, height, items, segs: [] })];
  } catch (e) {
    wrapToolError(e, o.filename);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
