// Link cue scores (docs/site-families.md §1) and report/decoy title classification (§4).
// Everything here is pure so the crawler's judgement can be tested without a network.

// A small Traditional → Simplified map, enough for the words the cues and title rules look at:
// converter pages (seed 004) repost reports in Traditional characters.
const T2S: Record<string, string> = {
  開: '开',
  報: '报',
  資: '资',
  訊: '讯',
  縣: '县',
  區: '区',
  關: '关',
  於: '于',
  門: '门',
  計: '计',
  務: '务',
  與: '与',
  國: '国',
  預: '预',
  決: '决',
  統: '统',
  圖: '图',
  讀: '读',
  網: '网',
  書: '书',
  應: '应',
  請: '请',
  編: '编',
  製: '制',
  結: '结',
  總: '总',
  點: '点',
  設: '设',
  會: '会',
  經: '经',
  費: '费',
  體: '体',
  規: '规',
  條: '条',
  華: '华',
  況: '况',
  數: '数',
  復: '复',
  訟: '讼',
  議: '议',
  業: '业',
  動: '动',
  處: '处',
  據: '据',
  鎮: '镇',
  鄉: '乡',
  廳: '厅',
  機: '机',
  構: '构',
  進: '进',
  單: '单',
  歷: '历',
  廣: '广',
  東: '东',
  並: '并',
  導: '导',
  專: '专',
  欄: '栏',
  錄: '录',
  舉: '举',
  說: '说',
  當: '当',
  優: '优',
  雲: '云',
  瑪: '玛',
  礎: '础',
  補: '补',
  認: '认',
  確: '确',
  訴: '诉',
  頁: '页',
  號: '号',
  間: '间',
  為: '为',
  則: '则',
  項: '项',
  權: '权',
  責: '责',
  審: '审',
  屬: '属',
  傳: '传',
  維: '维',
  類: '类',
  樣: '样',
  義: '义',
  將: '将',
  萬: '万',
  現: '现',
  實: '实',
  稅: '税',
  衛: '卫',
  發: '发',
  術: '术',
  勞: '劳',
  護: '护',
};
const T2S_RE = new RegExp(`[${Object.keys(T2S).join('')}]`, 'g');

// Converter pages leave readings after characters: 公開(kāi), 報（bào）.
const PINYIN_DEBRIS = /[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}(\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})*\s*[)）]/g;

/** NFKC (full-width digits and letters), Traditional → Simplified for the cue words, no whitespace. */
export function cueText(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKC')
    .replace(PINYIN_DEBRIS, '')
    .replace(T2S_RE, (c) => T2S[c] ?? c)
    .replace(/\s+/g, '');
}

const YEAR_RE = /(19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3}/;

export function hasYear(text: string): boolean {
  return YEAR_RE.test(cueText(text));
}

export function extractYear(text: string): number | null {
  const t = cueText(text);
  const m = /(?:19|20)\d{2}/.exec(t);
  if (m) return Number(m[0]);
  const c = /[〇○零一二][〇○零一二三四五六七八九]{3}/.exec(t);
  if (!c) return null;
  const digits = '〇一二三四五六七八九';
  return Number([...c[0]].map((ch) => (ch === '○' || ch === '零' ? 0 : digits.indexOf(ch))).join(''));
}

const REPORT_TITLE = /(政府)?信息公开(工作)?(年度)?报告|信息公开年报|政务公开(工作)?年度报告/;

/** Words that make an otherwise report-like title a neighbour (§4 decoy table). */
const DECOY_TITLE =
  /通知|函$|函〔|的函|编制|报送|政府工作报告|统计公报|统计年报|统计年鉴|网站(工作)?年度报表|工作报表|年度报表|法治政府|预算|决算|三公经费|图解|一图|解读|企业年报|年报公示|社会组织|工作总结|工作要点|汇总|目录|指南|制度|征集|公示$|意见|方案|培训|会议|考核|评估|第三方|督查|检查|审核稿|征求意见稿|草稿|内部/;

export type TitleClass = 'report' | 'decoy' | 'other';

/**
 * report = a 政府信息公开工作年度报告 title with a year; decoy = report-like words plus a decoy tell (or a
 * known neighbour such as 政府工作报告); other = anything else (columns, news).
 */
export function classifyTitle(title: string | null | undefined): TitleClass {
  const t = cueText(title);
  if (!t) return 'other';
  const reportish = REPORT_TITLE.test(t);
  if (DECOY_TITLE.test(t.replace(REPORT_TITLE, ''))) return reportish || NEIGHBOUR.test(t) ? 'decoy' : 'other';
  if (reportish && YEAR_RE.test(t)) return 'report';
  if (NEIGHBOUR.test(t)) return 'decoy';
  return 'other';
}

const NEIGHBOUR = /政府工作报告|统计公报|年度报表|工作报表|法治政府建设|预算|决算|三公经费|企业年报|年报公示/;

export interface CueInput {
  text?: string | null; // link text, title attribute, image alt
  url?: string | null;
  /** The page this link sits on is inside a 公开 area (its own cues were positive). */
  inDisclosureArea?: boolean;
}

/** Sum of the §1 cue table for one link (text + URL slug). */
export function scoreLink({ text, url, inDisclosureArea }: CueInput): number {
  const t = cueText(text);
  let path = '';
  try {
    if (url) {
      const u = new URL(url);
      path = decodeSafe(u.pathname + u.search).toLowerCase();
    }
  } catch {
    /* relative or malformed: text cues only */
  }
  let s = 0;
  let positive = false;
  if (/信息公开(工作)?年度报告|信息公开年报|公开年报|信息公开(工作)?年报/.test(t)) {
    s += 10;
    positive = true;
  } else if (/年度报告|年报/.test(t)) {
    s += inDisclosureArea ? 5 : 2;
    positive = true;
  }
  if (/zfxxgknb|xxgknb|gknb|zfxxgkndbg|ndbg|nb_20\d\dn|\/\d{4}nb\/|nb\d{4}|\/nb\//.test(path)) {
    s += 7;
    positive = true;
  }
  if (/政府信息公开|政务公开|信息公开|公开目录/.test(t) || /zfxxgk|xxgk|zwgk|gkml|gkzl/.test(path)) {
    s += 3;
    positive = true;
  }
  if (/法定主动公开|部门信息公开|乡镇信息公开|街道信息公开|单位信息公开/.test(t) || /fdzdgknr|bmxxgk|xzxxgk/.test(path)) {
    s += 2;
    positive = true;
  }
  if (positive && (YEAR_RE.test(t) || /年度/.test(t))) s += 2;
  if (/政府工作报告/.test(t) || /zfgzbg/.test(path)) s -= 6;
  if (/预决算|预算|决算|三公经费/.test(t) || /\/(yjs|czyjs|czzj|yjsgk)/.test(path)) s -= 6;
  if (/年度报表|工作报表/.test(t) || /wzndbb/.test(path)) s -= 6;
  if (/统计公报|统计年鉴|企业年报|年报公示/.test(t)) s -= 6;
  if (/法治政府建设|工作总结|工作要点/.test(t)) s -= 4;
  if (/公开指南|公开制度|依申请公开/.test(t)) s -= 2;
  return s;
}

/** Cues of a page itself (title, ColumnName meta, breadcrumb): does it sit in a 年报 / 公开 area? */
export function scorePageContext(parts: (string | null | undefined)[]): number {
  let best = 0;
  for (const p of parts) {
    const t = cueText(p);
    if (!t) continue;
    let s = 0;
    if (/信息公开(工作)?年度报告|信息公开年报|公开年报|年度报告|年报/.test(t)) s = 10;
    else if (/政府信息公开|政务公开|信息公开|公开目录/.test(t)) s = 3;
    if (/政府工作报告|统计公报|预决算|网站年度报表|企业年报/.test(t) && !/信息公开/.test(t)) s = -6;
    best = Math.max(best, s);
  }
  return best;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
