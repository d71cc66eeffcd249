import { buildSite, routeKey } from './src/sim/sites/build.ts';
import { COUNTIES } from './src/sim/sites/catalog.ts';
import { renderAttachment } from './src/sim/attachments.ts';
import { parseDocument } from './src/parse/parse-file.ts';
const seed = Number(process.argv[2] ?? 1); const max = Number(process.argv[3] ?? 12);
let n = 0; const stats: Record<string, number> = {};
for (const c of COUNTIES) {
  if (n >= max) break;
  const site = buildSite(c, seed, { soft404: false, robotsPrivate: false });
  for (const rep of site.reports.filter((r) => r.kind === 'pdf' || r.kind === 'docx')) {
    if (n >= max) break;
    const route = site.routes.get(routeKey(new URL(rep.url)));
    if (!route || route.kind !== 'document') continue;
    n++;
    const bytes = await renderAttachment(route.docKind, route.model);
    const r = await parseDocument(bytes, { filename: route.filename });
    const bad: string[] = [];
    if (!r.isReport) bad.push('isReport');
    if (r.year !== rep.year) bad.push(`year ${rep.year}/${r.year}`);
    if (r.region.code !== rep.regionCode) bad.push(`code ${rep.regionCode}/${r.region.code}`);
    if (r.format !== rep.format) bad.push(`format ${rep.format}/${r.format}`);

    if (r.title !== rep.title.replace(/\s+/g, '')) bad.push(`title ${rep.title}/${r.title}`);
    let fb = 0; for (const k of Object.keys(rep.figures)) if (r.figures[k] !== rep.figures[k]) fb++;
    for (const k of Object.keys(r.figures)) if (!(k in rep.figures)) fb++;
    if (fb) bad.push(`figures ${fb}`);
    console.log(rep.kind, rep.format, bad.length ? 'BAD ' + bad.join('; ') : 'ok');
  }
}
