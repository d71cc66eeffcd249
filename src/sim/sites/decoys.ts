// Pages that look like reports to a keyword crawler but are not 政府信息公开工作年度报告 (docs/site-families.md §4).
import type { Rng } from '../random.ts';
import { escapeHtml, tableHtml } from '../reports/render-html.ts';
import { generateReport } from '../reports/model.ts';
import { reportTableSpecs } from '../reports/tables.ts';

export type DecoyType = 'notice' | 'work_report' | 'statistics' | 'budget' | 'website_report' | 'rule_of_law' | 'graphic' | 'robots';

export interface DecoyContent {
  type: DecoyType;
  title: string;
  date: string;
  bodyHtml: string;
}

const p = (t: string) => `<p style="text-indent:2em">${escapeHtml(t)}</p>`;
const pad = (n: number) => String(n).padStart(2, '0');
const date = (rng: Rng, year: number, m0 = 1, m1 = 12) => `${year}-${pad(rng.int(m0, m1))}-${pad(rng.int(1, 28))}`;

/** 关于做好…年度报告编制工作的通知: every table label, no numbers (docs/report-formats.md §5). */
function notice(county: string, year: number, rng: Rng): DecoyContent {
  const template = generateReport({
    rng: rng.fork('template'),
    format: '2021',
    year,
    regionName: county,
    regionCode: '000000',
    issuer: `${county}人民政府`,
  });
  const empty = { ...template, values: {}, figures: {} };
  const tables = reportTableSpecs(empty)
    .map((s) => tableHtml(s, rng))
    .join('\n');
  return {
    type: 'notice',
    title: rng.pick([
      `关于做好${year}年政府信息公开工作年度报告编制工作的通知`,
      `关于做好${year}年度政府信息公开工作年度报告编制和发布工作的通知`,
    ]),
    date: date(rng, year + 1, 1, 1),
    bodyHtml: [
      p('各乡镇人民政府，县政府各部门：'),
      p(
        `根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现就做好${year}年政府信息公开工作年度报告编制工作通知如下：`,
      ),
      p(
        `一、各单位要严格按照年度报告格式要求编制本单位${year}年政府信息公开工作年度报告，报告内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等。`,
      ),
      p(`二、请各单位于${year + 1}年1月20日前将年度报告报送${county}人民政府办公室，并于1月31日前在本单位政府信息公开专栏发布。`),
      p('附件：政府信息公开工作年度报告格式'),
      tables,
      p(`${county}人民政府办公室`),
    ].join('\n'),
  };
}

function workReport(county: string, year: number, rng: Rng): DecoyContent {
  return {
    type: 'work_report',
    title: `${county}${year}年政府工作报告`,
    date: date(rng, year, 1, 2),
    bodyHtml: [
      `<p style="text-align:center">——${year}年${rng.int(1, 2)}月${rng.int(5, 25)}日在${county}第${rng.pick(['十七', '十八', '十九'])}届人民代表大会第${rng.pick(['一', '二', '三', '四'])}次会议上</p>`,
      p('各位代表：'),
      p(`现在，我代表县人民政府，向大会报告政府工作，请予审议，并请县政协委员和其他列席人员提出意见。`),
      p(
        `过去一年，全县地区生产总值完成${rng.int(80, 400)}.${rng.int(1, 9)}亿元，同比增长${rng.int(2, 9)}.${rng.int(0, 9)}%；一般公共预算收入${rng.int(5, 40)}.${rng.int(1, 9)}亿元。我们坚持依法行政，深化政务公开，全年主动公开政府信息${rng.int(1000, 9000)}条。`,
      ),
      p('今年工作的总体要求是：坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，推动高质量发展。'),
    ].join('\n'),
  };
}

function statistics(county: string, year: number, rng: Rng): DecoyContent {
  const rows = [
    ['地区生产总值', '亿元'],
    ['第一产业增加值', '亿元'],
    ['第二产业增加值', '亿元'],
    ['第三产业增加值', '亿元'],
    ['社会消费品零售总额', '亿元'],
  ].map(
    ([k, u]) =>
      `<tr><td>${k}</td><td>${u}</td><td>${rng.int(5, 300)}.${rng.int(0, 99)}</td><td>${rng.int(-3, 9)}.${rng.int(0, 9)}</td></tr>`,
  );
  return {
    type: 'statistics',
    title: `${county}${year}年国民经济和社会发展统计公报`,
    date: date(rng, year + 1, 3, 5),
    bodyHtml: [
      p(`${year}年，面对复杂严峻的外部环境，全县上下坚持稳中求进工作总基调，经济运行总体平稳。`),
      `<table border="1"><tr><th>指标</th><th>单位</th><th>绝对数</th><th>比上年增长（%）</th></tr>${rows.join('')}</table>`,
      p('注：本公报中数据均为初步统计数。'),
    ].join('\n'),
  };
}

function budget(county: string, year: number, rng: Rng): DecoyContent {
  const rows = ['一般公共服务支出', '教育支出', '社会保障和就业支出', '卫生健康支出', '农林水支出'].map(
    (k) => `<tr><td>${k}</td><td>${rng.int(100, 90000)}.${rng.int(10, 99)}</td><td>${rng.int(100, 90000)}.${rng.int(10, 99)}</td></tr>`,
  );
  return {
    type: 'budget',
    title: rng.pick([
      `${county}${year}年财政预算执行情况和${year + 1}年财政预算草案的报告`,
      `${county}${year}年度部门决算公开`,
      `${county}${year}年“三公”经费预算公开说明`,
    ]),
    date: date(rng, year + 1, 1, 8),
    bodyHtml: [
      p(`${year}年全县一般公共预算收入完成${rng.int(10000, 300000)}万元，一般公共预算支出${rng.int(100000, 900000)}万元。`),
      `<table border="1"><tr><th>项目</th><th>预算数（万元）</th><th>决算数（万元）</th></tr>${rows.join('')}</table>`,
    ].join('\n'),
  };
}

function websiteReport(county: string, year: number, rng: Rng, siteIdCode: string, host: string): DecoyContent {
  const row = (k: string, v: string | number) => `<tr><td>${k}</td><td colspan="2">${v}</td></tr>`;
  return {
    type: 'website_report',
    title: `${county}人民政府门户网站${year}年工作年度报表`,
    date: date(rng, year + 1, 1, 1),
    bodyHtml: [
      `<table border="1">`,
      row('网站名称', `${county}人民政府`),
      row('首页网址', `http://${host}`),
      row('主办单位', `${county}人民政府办公室`),
      row('网站类型', '政府门户网站'),
      row('政府网站标识码', siteIdCode),
      row('独立用户访问总量（单位：个）', rng.int(10000, 900000)),
      row('网站总访问量（单位：次）', rng.int(100000, 9000000)),
      row('信息发布 总数（单位：条）', rng.int(1000, 20000)),
      row('办事服务 是否发布服务事项目录', '是'),
      row('互动交流 留言办理 收到留言数量（单位：条）', rng.int(10, 900)),
      `</table>`,
    ].join('\n'),
  };
}

function ruleOfLaw(county: string, year: number, rng: Rng): DecoyContent {
  return {
    type: 'rule_of_law',
    title: rng.pick([`${county}${year}年法治政府建设年度报告`, `${county}人民政府关于${year}年度法治政府建设情况的报告`]),
    date: date(rng, year + 1, 1, 3),
    bodyHtml: [
      p(`${year}年，${county}坚持以习近平法治思想为指导，全面推进法治政府建设，现将有关情况报告如下。`),
      p('一、主要举措和成效'),
      p(`（一）深化“放管服”改革。全年取消行政许可事项${rng.int(1, 20)}项，行政复议案件办理${rng.int(5, 60)}件。`),
      p('（二）推进政务公开。严格落实政府信息公开制度，及时发布政府信息公开工作年度报告。'),
      p('二、存在的不足和原因'),
      p('三、下一年度工作安排'),
    ].join('\n'),
  };
}

/** 图解 companions point at the real report (docs/site-families.md §4: follow, do not emit). */
export function graphic(title: string, href: string, year: number, rng: Rng): DecoyContent {
  return {
    type: 'graphic',
    title: `图解：${title}`,
    date: date(rng, year + 1, 2, 4),
    bodyHtml: `<p style="text-align:center"><img src="/images/tj_${year}_${rng.int(1000, 9999)}.jpg" alt=""></p>
<p>原文链接：<a href="${href}">${escapeHtml(title)}</a></p>`,
  };
}

export function draftReport(county: string, year: number, rng: Rng): DecoyContent {
  return {
    type: 'robots',
    title: `${county}${year}年政府信息公开工作年度报告（内部审核稿）`,
    date: date(rng, year + 1, 1, 1),
    bodyHtml: p(`本稿为内部审核稿，未经审定，不得公开。报告所列数据统计期限自${year}年1月1日至${year}年12月31日。`),
  };
}

export const decoyMakers = { notice, workReport, statistics, budget, websiteReport, ruleOfLaw };
