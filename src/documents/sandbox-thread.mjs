// The parsing thread of sandbox.ts. Plain .mjs because worker threads do not inherit the tsx or vitest
// loaders: it registers tsx itself, then serves one document per message: bytes with parseDocumentStaged
// (parseDocumentPages for a report split over pages), or a stored extraction with parseExtraction.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseDocumentPages, parseDocumentStaged, parseExtraction } = await import('../parse/parse-file.ts');
const { watchTools } = await import('./tools.ts');
// Tools (tesseract, pdftoppm) run in their own process groups; the sandbox kills them with this thread.
watchTools((pid, alive) => parentPort.postMessage({ tool: { pid, alive } }));

parentPort.on('message', async ({ id, bytes, info, parts, extraction }) => {
  try {
    let staged;
    if (extraction) {
      const t0 = performance.now();
      staged = { result: parseExtraction(extraction), parseMs: performance.now() - t0 };
    } else if (parts?.length) {
      // A report split over several pages is one document: its later pages share the first page's charset.
      const t0 = performance.now();
      const result = await parseDocumentPages([{ ...info, bytes }, ...parts.map((p) => ({ ...p, charset: info?.charset ?? null }))]);
      staged = { result, parseMs: performance.now() - t0 };
    } else {
      staged = await parseDocumentStaged(bytes, info);
    }
    parentPort.postMessage({ id, ok: true, staged });
  } catch (e) {
    const error = {
      name: e?.name ?? 'Error',
      message: String(e?.message ?? e),
      code: e?.code,
      filename: e?.filename ?? info?.filename ?? null,
    };
    parentPort.postMessage({ id, ok: false, error });
  }
});
parentPort.postMessage({ ready: true });
