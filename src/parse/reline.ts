// Text archives keep a report as one line: every whitespace run collapsed to one space, table cells glued with
// no separator (`行政许可396442278`), a header block (`标题: … 发布时间: … 原文链接: …`) in front. The body-text
// contract (one paragraph, heading or table row per line) is restored here from what the format itself marks:
// header keys, section and item numbering, table row names followed by their digits, and the spaces that stood
// for line breaks. Pure; lines of ordinary documents are left alone.

const HEADER_KEYS =
  '标题|文章标题|发布时间|发布日期|发文日期|成文日期|发布机构|发文机关|发布单位|文号|发文字号|索引号|原文链接|原文地址|来源|信息来源|主题分类|公开方式|公开范围|生成日期';
const HEADER_KEY_RE = new RegExp(`(?:${HEADER_KEYS})\\s*[:：]`);

// Table-二 row names: a line of their own when the row's digits follow them.
const ACTIVE_ROW_NAMES =
  '其他对外管理服务事项|行政规范性文件|行政事业性收费|政府集中采购|(?<!行政)规范性文件|行政许可|行政处罚|行政强制|规章';
// What a section heading or a table-三 row label says right after its numeral `一、`.
const AFTER_NUMERAL =
  '本年新收|上年结转|本年度办理结果|结转下年|总体情况|概述|主动公开|依申请|收到和处理|政府信息公开行政复议|行政复议|因政府信息公开|存在的主要问题|存在的问题|主要问题|其他需要报告|其他事项|政府信息公开|咨询|收费|支出';

/** A line that is a whole document glued together, not a long paragraph. */
function isCollapsed(line: string): boolean {
  if (line.length < 200) return false;
  const headings = line.match(/(?:^|[\s。；;：:！!？?”")）\d])[一二三四五六七八九十]{1,2}、/g)?.length ?? 0;
  const keys = line.match(new RegExp(HEADER_KEY_RE.source, 'g'))?.length ?? 0;
  const tableMarks = /第二十条|本年新收|勾稽关系|结果维持/.test(line) ? 2 : 0;
  return headings + keys + tableMarks >= 3;
}

function relineOne(line: string): string {
  let s = line;
  // Header block keys start lines (`标题: … 发布时间: …`).
  s = s.replace(new RegExp(`\\s*(?=(?:${HEADER_KEYS})\\s*[:：])`, 'g'), '\n');
  // A URL ends at the first space.
  s = s.replace(/(https?:\/\/\S+) /g, '$1\n');
  // Section headings and table-三 labels: `二、`, after anything but a Han character (统一、 is a word), or when
  // the words of a heading or row follow.
  s = s.replace(/(?<=[^\p{Script=Han}\n]|^)\s*(?=[一二三四五六七八九十]{1,2}、)/gu, '\n');
  s = s.replace(new RegExp(`(?<=\\p{Script=Han})(?=[一二三四五六七八九十]{1,2}、(?:${AFTER_NUMERAL}))`, 'gu'), '\n');
  // Group and item numbering: `（三）不予公开`, `1.属于国家秘密` (one digit: the digits before it are the previous row's cells).
  s = s.replace(/(?<!第)\s*(?=[(（][一二三四五六七八九十]{1,2}[)）])/g, '\n');
  s = s.replace(/\s*(?=\d[.．、]\p{Script=Han})/gu, '\n');
  // Table headers glued to a heading: 第二十条 blocks, the 勾稽 note of table 三, table 四's 行政复议|行政诉讼 header.
  s = s.replace(/\s*(?=第二十条)/g, '\n');
  s = s.replace(/\s*(?=[(（]本列数据)/g, '\n');
  s = s.replace(/(?<=情况)\s*(?=行政复议\s*行政诉讼)/g, '\n');
  // Table-二 rows: the row name followed by its digits.
  s = s.replace(new RegExp(`\\s*(?=(?:${ACTIVE_ROW_NAMES})\\s?[-+]?\\d)`, 'gu'), '\n');
  // A section heading ends at the first space (一、总体情况 2022年…), table-三 row labels keep their digits.
  s = s.replace(/(^|\n)([一二三四五六七八九十]{1,2}、(?![^\n ]*(?:本年新收|上年结转|结转下年|办理结果))[^\n\s\d]{2,30}) +/g, '$1$2\n');
  // The remaining spaces between words were line breaks; a space before digits separates a label from its cells.
  s = s.replace(/(?<=[^\d\s:：]) +(?=[^\d\s])/g, '\n');
  s = s.replace(/(?<=\d) +(?=\p{Script=Han})(?![件条个项例元万亿千百次人户家份宗起篇期批场名位余多年月日天周号])/gu, '\n');
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** Restores lines in collapsed text; `relined` says whether anything was collapsed. */
export function relineCollapsed(text: string): { text: string; relined: boolean } {
  let relined = false;
  const out = text.split('\n').map((line) => {
    if (line.includes('\t') || !isCollapsed(line)) return line;
    relined = true;
    return relineOne(line);
  });
  return { text: out.join('\n'), relined };
}
