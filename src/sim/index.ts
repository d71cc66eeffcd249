// The simulated county web (loopback only): startSimWeb() serves every site through one proxy port and
// publishes the ground-truth manifest.
import { writeFile } from 'node:fs/promises';
import YAML from 'yaml';
import { SiteListSchema, type SiteList } from '../schema/site-config.ts';
import { createRng } from './random.ts';
import { COUNTIES, FAMILY_COUNTIES } from './sites/catalog.ts';
import { buildSite, type BuiltSite } from './sites/build.ts';
import { startServer, type SimFaults, type SimStats } from './server.ts';
import { NationalWorld } from './national/world.ts';
import type { TrapTargets } from './traps.ts';
import type { Manifest, NbLayout, SimSiteInfo } from './sites/types.ts';

export type { Manifest, ManifestDecoy, ManifestReport, SimSiteInfo } from './sites/types.ts';
export { CHALLENGE_COOKIE, challengeToken, type HostStats, type SimFaults, type SimStats } from './server.ts';
export { NationalWorld } from './national/world.ts';
export { nationalSites, NATIONAL_MAX_SITES, type NationalSite, type SiteQuirks } from './national/catalog.ts';
export { createRng } from './random.ts';
export { SIM_TLS } from './tls.ts';
export { startTraps, type TrapCounts, type TrapTargets, type Traps } from './traps.ts';
export type { BodyRequest, TlsMode } from './sites/types.ts';

export interface SimWebOptions {
  seed?: number;
  /** 0 = any free port */
  port?: number;
  faults?: SimFaults;
  /**
   * which sites to serve: the demo's fourteen (`classic`, the default), the later CMS families
   * (`families`: gkmlpt, Lonsun, Hanweb xxgk, JPaaS, ASP.NET, iframe, Epoint shells, TLS), or both
   */
  include?: SimInclude;
  /**
   * a national world of this many county sites instead (ids `n<GB/T 2260 code>`, every family, city platforms
   * shared by several counties, slow/failing/challenging hosts), built lazily site by site; `include` is ignored
   */
  sites?: number;
  /** national world: sites kept built in memory at once (default 96) */
  cacheSites?: number;
  /** trap listeners the pages link, redirect and script to (src/sim/traps.ts; classic/families worlds) */
  traps?: TrapTargets;
}

export type SimInclude = 'classic' | 'families' | 'all';

export interface SimWeb {
  /** http://127.0.0.1:PORT — pass as the crawler's proxy */
  proxyUrl: string;
  port: number;
  sites: SimSiteInfo[];
  manifest: Manifest;
  /** per-host politeness counters and the sim's own cost (also GET /__stats.json on the port, `?reset` clears) */
  stats(): SimStats;
  /**
   * ground truth of some sites. For a national world prefer this to `manifest.reports`, which builds every site.
   */
  truth(siteIds: Iterable<string>): Pick<Manifest, 'reports' | 'decoys'>;
  /** the national world (lazy sites, shared hosts), when started with `sites` */
  world?: NationalWorld;
  close(): Promise<void>;
}

export interface SimWorld {
  seed: number;
  sites: BuiltSite[];
  manifest: Manifest;
}

// as on the real sites: 密云 files its 年报 under gknb{Y}/; others split the column by unit (本级/部门/乡镇)
const NB_LAYOUTS: Record<string, NbLayout> = { miyun: 'years', maqin: 'years', jinxiang: 'units', shuyang: 'units', menyuan: 'units' };

/** Every site, route and manifest entry for a seed, without a server (pure and deterministic). */
export function buildSimWorld(seed = 1, include: SimInclude = 'classic'): SimWorld {
  const sites = [...(include === 'families' ? [] : classicSites(seed)), ...(include === 'classic' ? [] : familySites(seed))];
  const manifest: Manifest = {
    seed,
    sites: sites.map((s) => s.info),
    reports: sites.flatMap((s) => s.reports),
    decoys: sites.flatMap((s) => s.decoys),
  };
  return { seed, sites, manifest };
}

/** The family sites draw their quirks from their own stream, so the classic sites do not change. */
function familySites(seed: number): BuiltSite[] {
  const qr = createRng(seed).fork('family-quirks');
  return FAMILY_COUNTIES.map((c) =>
    buildSite(c, seed, { soft404: qr.chance(0.4), robotsPrivate: false, nbLayout: NB_LAYOUTS[c.id] ?? 'flat' }),
  );
}

function classicSites(seed: number): BuiltSite[] {
  const qr = createRng(seed).fork('quirks');
  const soft = COUNTIES.map(() => qr.chance(0.4));
  // at least one site of each kind of not-found answer
  if (soft.every(Boolean)) soft[0] = false;
  if (!soft.some(Boolean)) soft[qr.int(0, soft.length - 1)] = true;
  const robotsSite = qr.int(0, COUNTIES.length - 1);
  return COUNTIES.map((c, i) =>
    buildSite(c, seed, { soft404: soft[i]!, robotsPrivate: i === robotsSite, nbLayout: NB_LAYOUTS[c.id] ?? 'flat' }),
  );
}

export async function startSimWeb(opts: SimWebOptions = {}): Promise<SimWeb> {
  if (opts.sites !== undefined) return startNationalWeb(opts.sites, opts);
  const world = buildSimWorld(opts.seed ?? 1, opts.include ?? 'classic');
  if (opts.faults) world.manifest.faults = opts.faults;
  const srv = await startServer({
    port: opts.port ?? 0,
    sites: world.sites,
    manifest: world.manifest,
    faults: opts.faults,
    seed: world.seed,
    ...(opts.traps ? { traps: opts.traps } : {}),
  });
  return {
    proxyUrl: `http://127.0.0.1:${srv.port}`,
    port: srv.port,
    sites: world.manifest.sites,
    manifest: world.manifest,
    stats: srv.stats,
    truth: (ids) => {
      const set = new Set(ids);
      return {
        reports: world.manifest.reports.filter((r) => set.has(r.siteId)),
        decoys: world.manifest.decoys.filter((d) => set.has(d.siteId)),
      };
    },
    close: srv.close,
  };
}

/** A national manifest: the site list is computed up front; `reports`/`decoys` build every site when first read. */
export function nationalManifest(world: NationalWorld, faults?: SimFaults): Manifest {
  let truth: Pick<Manifest, 'reports' | 'decoys'> | undefined;
  const all = () => (truth ??= world.truth(world.infos.map((s) => s.id)));
  return {
    seed: world.seed,
    ...(faults ? { faults } : {}),
    sites: world.infos,
    get reports() {
      return all().reports;
    },
    get decoys() {
      return all().decoys;
    },
  };
}

async function startNationalWeb(n: number, opts: SimWebOptions): Promise<SimWeb> {
  const world = new NationalWorld(opts.seed ?? 1, n, { cacheSites: opts.cacheSites });
  const manifest = nationalManifest(world, opts.faults);
  const srv = await startServer({
    port: opts.port ?? 0,
    sites: [],
    manifest,
    faults: opts.faults,
    seed: world.seed,
    resolve: (url) => world.resolve(url),
    // ?site=<id>[,<id>…] gives those sites' reports and decoys; without it, the site list only
    manifestJson: (url) => {
      const ids = url.searchParams.get('site')?.split(',').filter(Boolean);
      return JSON.stringify(
        ids
          ? { seed: world.seed, sites: world.infos.filter((s) => ids.includes(s.id)), ...world.truth(ids) }
          : {
              seed: world.seed,
              sites: world.infos,
              reports: null,
              decoys: null,
              note: 'national world: add ?site=<id>[,<id>] for reports and decoys',
            },
        null,
        1,
      );
    },
    extraStats: () => ({
      world: {
        sites: world.infos.length,
        builds: world.builds,
        evictions: world.evictions,
        cachedSites: world.cachedSites,
        buildMs: Math.round(world.buildMs),
      },
    }),
    attachmentCache: 256,
  });
  return {
    proxyUrl: `http://127.0.0.1:${srv.port}`,
    port: srv.port,
    sites: world.infos,
    manifest,
    stats: srv.stats,
    truth: (ids) => world.truth(ids),
    world,
    close: srv.close,
  };
}

/** The simulated sites as a site list (config/sites.sim.yaml). Hosts do not depend on the seed. */
export function simSiteList(sites: SimSiteInfo[] = buildSimWorld(1).manifest.sites): SiteList {
  return SiteListSchema.parse({
    // the sim answers instantly and is local: no politeness delay needed
    defaults: { delayMs: 0, maxConcurrencyPerHost: 4, requestTimeoutSecs: 30, maxRetries: 3 },
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      regionCode: s.regionCode,
      home: s.home,
      allowHosts: s.allowHosts,
      maxPages: 400,
      notes: `simulated (${s.family}${s.charset === 'gbk' ? ', GBK in <meta> only' : ''}${s.mechanics ? `; ${s.mechanics.join('; ')}` : ''}); reach it through the sim proxy`,
    })),
  });
}

export function simSitesYaml(sites?: SimSiteInfo[]): string {
  return `# Generated by src/sim (simSitesYaml): the simulated county sites of startSimWeb().\n# Hosts end in .test and exist only behind the sim proxy. Regenerate: npx tsx src/sim/serve.ts --write-config\n${YAML.stringify(simSiteList(sites))}`;
}

export async function writeSimSitesYaml(path: string, sites?: SimSiteInfo[]): Promise<void> {
  await writeFile(path, simSitesYaml(sites), 'utf8');
}

/**
 * The family sites as a site list (config/sites.sim-families.yaml): same schema, served with
 * `startSimWeb({ include: 'families' | 'all' })`. Kept apart from the demo's list until the crawler handles them.
 */
export function simFamiliesYaml(sites: SimSiteInfo[] = buildSimWorld(1, 'families').manifest.sites): string {
  return `# Generated by src/sim (simFamiliesYaml): the CMS-family sites of startSimWeb({ include: 'families' }), see src/sim/README.md.
# Hosts end in .test and exist only behind the sim proxy. Regenerate: npx tsx src/sim/serve.ts --include families --write-config
${YAML.stringify(simSiteList(sites))}`;
}
export { viaSimProxy, type SimReply } from './client.ts';
