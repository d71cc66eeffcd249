// Manual exploration: `npx tsx src/sim/serve.ts [--port 8080] [--seed 1] [--faults '{"challengeSites":["yongxiu"]}']
// [--write-config]`, then e.g.
// `curl -x http://127.0.0.1:8080 http://www.yongxiu.gov.cn.test/`.
import { fileURLToPath } from 'node:url';
import { startSimWeb, writeSimSitesYaml, type SimFaults } from './index.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 1);
const port = Number(arg('port') ?? 0);
const faultsArg = arg('faults');
const web = await startSimWeb({ seed, port, faults: faultsArg ? (JSON.parse(faultsArg) as SimFaults) : undefined });

if (process.argv.includes('--write-config')) {
  const path = fileURLToPath(new URL('../../config/sites.sim.yaml', import.meta.url));
  await writeSimSitesYaml(path, web.sites);
  console.log(`wrote ${path}`);
}

console.log(`proxy: ${web.proxyUrl}   manifest: ${web.proxyUrl}/__manifest.json   seed: ${seed}`);
for (const s of web.sites) console.log(`  ${s.id.padEnd(10)} ${s.family.padEnd(7)} ${s.charset.padEnd(5)} ${s.home}  ${s.name}`);
const m = web.manifest;
console.log(`${m.reports.length} reports, ${m.decoys.length} decoys`);

const stop = () => void web.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
