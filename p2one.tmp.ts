import { buildSite, routeKey } from './src/sim/sites/build.ts';
import { COUNTIES } from './src/sim/sites/catalog.ts';
import { renderAttachment } from './src/sim/attachments.ts';
import { parseDocument } from './src/parse/parse-file.ts';
for (const c of COUNTIES) {
const site = buildSite(c, 3, { soft404: false, robotsPrivate: false });
for (const rep of site.reports.filter((r) => (r.kind === 'pdf' || r.kind==='docx') && r.format!=='legacy')) {
const route = site.routes.get(routeKey(new URL(rep.url)))! as any;
const r = await parseDocument(await renderAttachment(route.docKind, route.model), { filename: route.filename });
if (r.region.code === rep.regionCode) continue;
console.log(rep.title, rep.issuer, r.region, r.warnings); console.log(r.body!.slice(0, 600)); console.log(r.body!.slice(-400));
}}
