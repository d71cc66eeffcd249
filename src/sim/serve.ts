// Manual exploration: `npx tsx src/sim/serve.ts [--port 8080] [--seed 1] [--faults '{"challengeSites":["yongxiu"]}']
// [--include classic|families|all] [--write-config] [--sites N [--write-config-to FILE]]`, then e.g.
// `curl -x http://127.0.0.1:8080 http://www.yongxiu.gov.cn.test/`.
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { buildSimWorld, simFamiliesYaml, simSitesYaml, startSimWeb, writeSimSitesYaml, type SimFaults, type SimInclude } from './index.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 1);
const port = Number(arg('port') ?? 0);
const faultsArg = arg('faults');
const include = (arg('include') ?? 'classic') as SimInclude;
if (!['classic', 'families', 'all'].includes(include)) throw new Error(`--include: classic, families or all, not ${include}`);
const sitesArg = arg('sites');
const nationalSites = sitesArg === undefined ? undefined : Number(sitesArg);
const web = await startSimWeb({
  seed,
  port,
  include,
  faults: faultsArg ? (JSON.parse(faultsArg) as SimFaults) : undefined,
  ...(nationalSites !== undefined ? { sites: nationalSites } : {}),
});

// a national world's site list for `nianbao crawl --config` (hosts and ids depend on the seed)
const configTo = arg('write-config-to');
if (configTo) {
  await writeFile(configTo, simSitesYaml(web.sites), 'utf8');
  console.log(`wrote ${configTo}`);
}

if (process.argv.includes('--write-config') && nationalSites === undefined) {
  // the lists hold hosts only, which do not depend on the seed
  if (include !== 'families') {
    const path = fileURLToPath(new URL('../../config/sites.sim.yaml', import.meta.url));
    await writeSimSitesYaml(path, buildSimWorld(seed, 'classic').manifest.sites);
    console.log(`wrote ${path}`);
  }
  if (include !== 'classic') {
    const path = fileURLToPath(new URL('../../config/sites.sim-families.yaml', import.meta.url));
    await writeFile(path, simFamiliesYaml(), 'utf8');
    console.log(`wrote ${path}`);
  }
}

console.log(`proxy: ${web.proxyUrl}   manifest: ${web.proxyUrl}/__manifest.json   stats: ${web.proxyUrl}/__stats.json   seed: ${seed}`);
if (web.world) {
  // a national world: printing its reports would build every site
  console.log(`${web.sites.length} national sites (built on first request), ${web.world.sharedHosts().size} shared platform hosts`);
} else {
  for (const s of web.sites) console.log(`  ${s.id.padEnd(10)} ${s.family.padEnd(11)} ${s.charset.padEnd(5)} ${s.home}  ${s.name}`);
  const m = web.manifest;
  console.log(`${m.reports.length} reports, ${m.decoys.length} decoys`);
}

const stop = () => void web.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
