// Runs pdf.js inside a worker_thread so that a pathological PDF (deep recursion, huge images, endless
// content streams) can only exhaust this thread's heap or be terminated on timeout — never the caller.
// Plain .mjs on purpose: worker threads do not inherit tsx/vitest loaders, so this file must run in bare Node.
// It only collects raw geometry (text items, ruling segments); the layout is pure TS in the main thread.
// The thread serves one PDF per message and is reused: starting a thread and importing pdf.js cost about
// as much as reading a short report.
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('pdfjs-dist/package.json'));
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
const { OPS } = pdfjs;
// pdf.js 5 encodes paths with these codes but does not export the enum.
const DrawOPS = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 };

const mul = (m, n) => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m, x, y) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** Straight axis-parallel pieces of every painted path, in viewport (top-down) coordinates. */
function collectSegments(opList, viewportTransform) {
  const segs = [];
  let ctm = viewportTransform;
  const stack = [];
  const { fnArray, argsArray } = opList;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = mul(ctm, args);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) || ArrayBuffer.isView(args[0])) ctm = mul(ctm, Array.from(args[0]));
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.constructPath) {
      const paintOp = args[0];
      if (paintOp === OPS.endPath) continue; // clipping paths are not drawn
      const path = args[1]?.[0];
      if (!path || typeof path.length !== 'number') continue;
      const filled =
        paintOp === OPS.fill ||
        paintOp === OPS.eoFill ||
        paintOp === OPS.fillStroke ||
        paintOp === OPS.eoFillStroke ||
        paintOp === OPS.closeFillStroke ||
        paintOp === OPS.closeEOFillStroke;
      const pts = [];
      const flush = () => {
        if (pts.length < 2) {
          pts.length = 0;
          return;
        }
        const xs = pts.map((p) => p[0]);
        const ys = pts.map((p) => p[1]);
        const x0 = Math.min(...xs),
          x1 = Math.max(...xs),
          y0 = Math.min(...ys),
          y1 = Math.max(...ys);
        // A thin filled box is how WPS/Word draw a cell border: keep it as one line.
        if (filled && pts.length >= 4 && (x1 - x0 < 3 || y1 - y0 < 3)) {
          if (x1 - x0 < y1 - y0) segs.push([(x0 + x1) / 2, y0, (x0 + x1) / 2, y1]);
          else segs.push([x0, (y0 + y1) / 2, x1, (y0 + y1) / 2]);
        } else if (filled) {
          // Filled areas (row shading, text highlight bands) are backgrounds, not rules.
        } else {
          for (let k = 1; k < pts.length; k++) segs.push([pts[k - 1][0], pts[k - 1][1], pts[k][0], pts[k][1]]);
          if (pts.closed) segs.push([pts[pts.length - 1][0], pts[pts.length - 1][1], pts[0][0], pts[0][1]]);
        }
        pts.length = 0;
        pts.closed = false;
      };
      for (let k = 0; k < path.length; ) {
        const op = path[k++];
        if (op === DrawOPS.moveTo) {
          flush();
          pts.push(apply(ctm, path[k], path[k + 1]));
          k += 2;
        } else if (op === DrawOPS.lineTo) {
          pts.push(apply(ctm, path[k], path[k + 1]));
          k += 2;
        } else if (op === DrawOPS.curveTo) {
          flush();
          k += 6;
        } else if (op === DrawOPS.quadraticCurveTo) {
          flush();
          k += 4;
        } else if (op === DrawOPS.closePath) {
          pts.closed = true;
          flush();
        } else break;
      }
      flush();
    }
    if (segs.length > 200000) break;
  }
  // Only axis-parallel pieces can be table rules.
  return segs
    .filter(([x1, y1, x2, y2]) => Math.abs(x1 - x2) < 1 || Math.abs(y1 - y2) < 1)
    .map((s) => s.map((v) => Math.round(v * 100) / 100));
}

async function run({ data, maxPages }) {
  const loadingTask = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: false,
    cMapUrl: join(pkgDir, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(pkgDir, 'standard_fonts') + '/',
    verbosity: 0,
    // Image data is decoded in this thread's ArrayBuffers, which the heap limit does not cover:
    // bigger images are skipped (a 300 dpi A4 scan is ~9 Mpx).
    maxImageSize: 40_000_000,
    isOffscreenCanvasSupported: false,
  });
  const doc = await loadingTask.promise;
  const numPages = doc.numPages;
  const pages = [];
  const n = Math.min(numPages, maxPages);
  for (let p = 1; p <= n; p++) {
    const page = await doc.getPage(p);
    const viewport = page.getViewport({ scale: 1 });
    const tc = await page.getTextContent({ disableNormalization: false });
    const items = [];
    for (const it of tc.items) {
      if (!('str' in it) || !it.str) continue;
      const t = it.transform;
      const [x, y] = viewport.convertToViewportPoint(t[4], t[5]);
      const size = Math.hypot(t[2], t[3]) || Math.abs(t[3]) || it.height || 1;
      const vertical = Math.abs(t[1]) > Math.abs(t[0]);
      items.push({ s: it.str, x, y, w: it.width, h: size, v: vertical ? 1 : 0 });
    }
    let segs = [];
    let images = 0;
    try {
      const ops = await page.getOperatorList();
      segs = collectSegments(ops, viewport.transform);
      for (const f of ops.fnArray) if (f === OPS.paintImageXObject || f === OPS.paintInlineImageXObject) images++;
    } catch {
      // Missing rules only cost cell precision; text positions still give rows.
    }
    pages.push({ width: viewport.width, height: viewport.height, items, segs, images });
    page.cleanup();
  }
  await doc.destroy();
  return { numPages, pages };
}

parentPort.on('message', async ({ id, data, maxPages }) => {
  try {
    const result = await run({ data, maxPages });
    parentPort.postMessage({ id, ok: true, result });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, name: e?.name ?? 'Error', message: String(e?.message ?? e), code: e?.code });
  }
});
