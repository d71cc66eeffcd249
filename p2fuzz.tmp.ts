import { buildSite, routeKey } from '/work/main/src/sim/sites/build.ts';
import { COUNTIES } from '/work/main/src/sim/sites/catalog.ts';
import { htmlToBody } from '/work/main/src/parse/html-to-body.ts';
import { parseReport } from '/work/main/src/parse/parse-report.ts';
const seeds = process.argv.slice(2).map(Number);
const stats: Record<string, number> = {};
const inc = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
const examples: Record<string, string[]> = {};
const ex = (k: string, s: string) => { (examples[k] ??= []).length < 4 && examples[k].push(s); };
for (const seed of seeds.length ? seeds : [1]) for (const c of COUNTIES) {
  const site = buildSite(c, seed, { soft404: false, robotsPrivate: false });
  const pageOf = (url: string) => { const r = site.routes.get(routeKey(new URL(url))); return r && r.kind === 'page' ? r.html : null; };
  for (const rep of site.reports.filter((r) => r.kind === 'html')) {
    const html = pageOf(rep.url); if (!html) { inc('noroute'); continue; }
    const h = htmlToBody(html, rep.url);
    const r = parseReport({ body: h.body, pageMeta: h.pageMeta, kind: 'html', attachments: h.attachments });
    inc('reports');
    const checks: [string, unknown, unknown][] = [['isReport', true, r.isReport], ['year', rep.year, r.year], ['code', rep.regionCode, r.region.code], ['format', rep.format, r.format], ['publishedAt', rep.publishedAt, r.publishedAt]];
    for (const [k, want, got] of checks) if (want !== got) { inc(`bad.${k}`); ex(k, `${rep.url} ${rep.title} want ${want} got ${got}`); }
    const want = rep.figures; const got = r.figures;
    let bad = 0; for (const k of Object.keys(want)) if (got[k] !== want[k]) bad++;
    for (const k of Object.keys(got)) if (!(k in want)) bad++;
    if (bad) { inc('bad.figures'); ex('figures', `${rep.url} ${rep.format} ${bad} diffs e.g. ${Object.keys(want).filter(k=>got[k]!==want[k]).slice(0,3).map(k=>`${k}:${want[k]}/${got[k]}`).join(' ')} extra ${Object.keys(got).filter(k=>!(k in want)).slice(0,3)}`); }
  }
  for (const d of site.decoys) {
    const html = pageOf(d.url); if (!html) continue;
    const h = htmlToBody(html, d.url);
    const r = parseReport({ body: h.body, pageMeta: h.pageMeta, kind: 'html', attachments: h.attachments });
    inc('decoys');
    if (r.isReport) { inc(`bad.decoy.${d.type}`); ex('decoy', `${d.url} ${d.type} ${d.title}`); }
  }
}
console.log(stats); console.log(JSON.stringify(examples, null, 1));
