import { buildSite, routeKey } from './src/sim/sites/build.ts';
import { COUNTIES } from './src/sim/sites/catalog.ts';
import { htmlToBody } from './src/parse/html-to-body.ts';
import { parseReport } from './src/parse/parse-report.ts';
let n = 0, bad = 0;
for (const seed of [1, 2]) for (const c of COUNTIES) {
  const site = buildSite(c, seed, { soft404: false, robotsPrivate: false });
  for (const rep of site.reports.filter((r) => r.pageUrl)) {
    const route = site.routes.get(routeKey(new URL(rep.pageUrl!)));
    if (!route || route.kind !== 'page') continue;
    const h = htmlToBody(route.html, rep.pageUrl);
    const r = parseReport({ body: h.body, pageMeta: h.pageMeta, kind: 'html', attachments: h.attachments });
    n++; if (r.isReport) { bad++; if (bad < 3) console.log(rep.pageUrl, h.attachments, h.body.slice(0, 300)); }
  }
}
console.log({ n, bad });
