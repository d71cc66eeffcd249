// The parsing thread of sandbox.ts. Plain .mjs because worker threads do not inherit the tsx or vitest
// loaders: it registers tsx itself, then serves one document per message with parseDocument (parseDocumentPages for a report split over pages).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseDocument, parseDocumentPages } = await import('../parse/parse-file.ts');
const { watchTools } = await import('./tools.ts');
// Tools (tesseract, pdftoppm) run in their own process groups; the sandbox kills them with this thread.
watchTools((pid, alive) => parentPort.postMessage({ tool: { pid, alive } }));

parentPort.on('message', async ({ id, bytes, info, parts }) => {
  try {
    // A report split over several pages is one document: its later pages share the first page's charset.
    const result = parts?.length
      ? await parseDocumentPages([{ ...info, bytes }, ...parts.map((p) => ({ ...p, charset: info?.charset ?? null }))])
      : await parseDocument(bytes, info);
    parentPort.postMessage({ id, ok: true, result });
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
