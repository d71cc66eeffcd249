// Prose of simulated reports. Sentences follow the wording of seeds 000–004 with the place names swapped,
// so the parser sees the same cues (统计期限, section titles, legacy summary sentences) as in real reports.
import type { Rng } from '../random.ts';
import type { ReportBlock, ReportModel } from './model.ts';

const CN_DIGITS = '零一二三四五六七八九';

/** Small counts are often written in words in legacy prose (seed 001: 申请两条). */
export function chineseSmallNumber(n: number): string {
  if (n === 2) return '两';
  if (n < 10) return CN_DIGITS[n]!;
  if (n === 10) return '十';
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  if (n < 100) return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  return String(n);
}

function selfName(m: ReportModel): string {
  if (m.issuerKind === 'department') return m.issuer.endsWith('委员会') ? '我委' : '我局';
  if (m.issuerKind === 'township') return m.issuer.includes('街道') ? '我街道' : m.issuer.includes('乡') ? '我乡' : '我镇';
  return m.regionName.endsWith('区') ? '我区' : m.regionName.endsWith('市') ? '我市' : '我县';
}

const portalName = (m: ReportModel) => `${m.regionName}人民政府门户网站`;

function period(y: number, rng: Rng, legacy: boolean): string {
  return legacy
    ? rng.pick([`本报告中所列数据的统计期限自${y}年1月1日起至${y}年12月31日止。`, `本报告所列数据统计期限自${y}年1月1日至${y}年12月31日。`])
    : rng.pick([
        `报告所列数据统计期限自${y}年1月1日至${y}年12月31日。`,
        `本报告中所列数据的统计期限自${y}年1月1日起至${y}年12月31日止。`,
        `其中政府信息公开数据统计期限为${y}年1月1日至${y}年12月31日。`,
      ]);
}

function introTabular(m: ReportModel, rng: Rng): string {
  const notice = m.format === '2021' ? '国办公开办函〔2021〕30号' : '国办公开办函〔2019〕60号';
  const parts =
    '总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项';
  const a = `本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制而成。本报告包括${parts}等六个部分。${period(m.year, rng, false)}`;
  const b = `根据《中华人民共和国政府信息公开条例》《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（${notice}）精神，现公布${m.issuer}${m.year}年政府信息公开工作年度报告，全文共包括“总体情况”“主动公开政府信息情况”“收到和处理政府信息公开申请情况”“政府信息公开行政复议、行政诉讼情况”“存在的主要问题及改进情况”“其他需要报告的事项”等六项内容，${period(m.year, rng, false)}`;
  const c = `按照《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，${m.issuer}编制了${m.year}年政府信息公开工作年度报告。${period(m.year, rng, false)}如对本报告有疑问，请与${m.issuer}办公室联系。`;
  return rng.pick([a, b, c]);
}

function overallParagraphs(m: ReportModel, rng: Rng): ReportBlock[] {
  const me = selfName(m);
  const y = m.year;
  const items = 200 + rng.int(0, m.issuerKind === 'county' ? 9000 : 800);
  const apps = m.values['applications.new.total'] ?? 0;
  const heads = rng.pick([
    ['（一）主动公开', '（二）依申请公开', '（三）政府信息管理', '（四）平台建设', '（五）监督保障'],
    ['（一）主动公开情况', '（二）依申请公开情况', '（三）政府信息管理情况', '（四）政府信息公开平台建设情况', '（五）监督保障情况'],
  ]);
  const open = rng.pick([
    `${y}年，${me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，严格执行《条例》，以公开为常态、不公开为例外，持续提升政务公开质量和实效。`,
    `${y}年，${me}认真按照省、市政务公开工作要点的要求，围绕中心工作，深入学习贯彻新修订的政府信息公开条例，不断推进决策、执行、管理、服务、结果公开，助力法治政府建设向纵深推进。`,
    `${y}年，在上级政务公开部门的指导下，${me}紧紧围绕经济社会发展总体要求，扎实推进政务信息公开各项工作，不断提升政务公开的质量和实效，推动转变政府职能。`,
  ]);
  const paras = [
    rng.pick([
      `${y}年，通过${portalName(m)}政府信息公开平台累计主动公开各类政府信息${items}条，其中政策文件${rng.int(5, 90)}条，政策解读${rng.int(3, 40)}条。`,
      `全年共主动公开政府信息${items}条，重点公开了财政预决算、重大建设项目、公共资源配置、社会公益事业等领域信息，及时回应社会关切。`,
    ]),
    rng.pick([
      `畅通依申请公开受理渠道，规范答复申请，明示救济途径。全年共收到政府信息公开申请${apps}件，均在法定期限内答复。`,
      `进一步规范依申请公开办理流程，建立依申请公开台账，严格按照《条例》规定的时限和程序办理。${y}年共收到政府信息公开申请${apps}件。`,
    ]),
    rng.pick([
      `严格落实公文公开属性源头认定制度，在公文起草时明确公开属性；健全保密审查机制，坚持“先审查、后公开”和“一事一审”原则。`,
      `完善政府信息公开各项制度，做好规范性文件审查和备案，全链条加强政府信息管理，动态调整政府信息公开目录。`,
    ]),
    rng.pick([
      `以政府门户网站为第一平台，优化政府信息公开专栏设置，同步利用政务微信公众号、政务微博等新媒体发布信息，拓宽公开渠道。`,
      `加强政府网站集约化建设，规范栏目设置，线下在政务服务中心设立政务公开专区，提供信息查阅、咨询等服务。`,
    ]),
    rng.pick([
      `将政务公开工作纳入年度绩效考核，定期开展检查通报，举办业务培训${rng.int(1, 6)}次，切实提高工作人员业务能力。`,
      `建立健全政务公开监督考核机制，主动接受社会监督，全年未发生因政府信息公开工作引发的责任追究情况。`,
    ]),
  ];
  const out: ReportBlock[] = [{ kind: 'paragraph', text: open }];
  heads.forEach((h, i) => {
    out.push({ kind: 'heading', text: h });
    out.push({ kind: 'paragraph', text: paras[i]! });
  });
  return out;
}

function problems(m: ReportModel, rng: Rng): ReportBlock[] {
  const me = selfName(m);
  return [
    {
      kind: 'paragraph',
      text: rng.pick([
        `${m.year}年，${me}政府信息公开工作取得了一定成效，但还存在一些问题：一是部分单位对政务公开工作重视程度不够，信息更新不够及时；二是政策解读的形式较为单一，解读质量有待提高；三是工作人员流动性大，业务能力有待加强。`,
        `对照上级要求和人民群众的期待，${me}政府信息公开工作仍存在重点领域信息发布不够全面、基层政务公开标准化规范化工作推进较慢等问题。`,
      ]),
    },
    {
      kind: 'paragraph',
      text: rng.pick([
        `下一步，${me}将严格按照《条例》和省、市关于政府信息公开工作的各项要求，强化业务培训，加强对政策解读的把关，进一步规范依申请公开工作，不断提升政务公开工作水平。`,
        `下一步，${me}将从三个方面加以改进：一是加强组织领导，压实工作责任；二是加大重点领域信息公开力度；三是加强监督考核，定期通报检查结果。`,
      ]),
    },
  ];
}

function otherMatters(m: ReportModel, rng: Rng): string {
  if (m.format === '2021') {
    return rng.pick([
      `依据《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度没有产生信息公开处理费。`,
      `本年度${m.issuer}未收取信息处理费。`,
      `无其他需要报告的事项。本年度未收取政府信息公开信息处理费。`,
    ]);
  }
  return rng.pick(['无。', '无其他需要报告的事项。', '按照有关规定，本年度没有向政府信息公开申请人收取费用的情况。']);
}

function tabularBlocks(m: ReportModel, rng: Rng): ReportBlock[] {
  return [
    { kind: 'paragraph', text: introTabular(m, rng) },
    { kind: 'heading', text: '一、总体情况' },
    ...overallParagraphs(m, rng),
    { kind: 'heading', text: '二、主动公开政府信息情况' },
    { kind: 'table', table: 'active' },
    { kind: 'heading', text: '三、收到和处理政府信息公开申请情况' },
    { kind: 'table', table: 'applications' },
    { kind: 'heading', text: '四、政府信息公开行政复议、行政诉讼情况' },
    { kind: 'table', table: 'review' },
    { kind: 'heading', text: '五、存在的主要问题及改进情况' },
    ...problems(m, rng),
    { kind: 'heading', text: '六、其他需要报告的事项' },
    { kind: 'paragraph', text: otherMatters(m, rng) },
  ];
}

/** Legacy prose states each summary.* figure in exactly one sentence (plus distractor sub-counts). */
function legacyBlocks(m: ReportModel, rng: Rng): ReportBlock[] {
  const me = selfName(m);
  const y = m.year;
  const v = m.values;
  const active = v['summary.active_items']!;
  const apps = v['summary.applications']!;
  const review = v['summary.review_cases']!;
  const lit = v['summary.litigation_cases']!;
  const fees = v['summary.fees_yuan']!;
  const web = Math.floor(active * (0.3 + rng.next() * 0.4));
  const num = (n: number) => (n > 0 && n <= 10 && rng.chance(0.5) ? chineseSmallNumber(n) : String(n));

  const appsText =
    apps === 0
      ? rng.pick([`本年度${me}未收到政府信息公开申请。`, `${y}年，${me}未收到依申请公开政府信息的申请。`])
      : rng.pick([
          `本年度${me}共接到依申请信息公开申请${num(apps)}条，已全部答复。`,
          `${y}年，${me}全年共受理依申请公开${num(apps)}件，均按规定时限予以答复。`,
        ]);
  const caseText =
    review === 0 && lit === 0
      ? rng.pick([
          `本年度未接到有关政府信息公开方面的行政复议、行政诉讼的案件。`,
          `${y}年，${me}无因政府信息公开申请行政复议、提起行政诉讼的情况。`,
        ])
      : `本年度因政府信息公开申请行政复议${num(review)}件，提起行政诉讼${num(lit)}件。`;
  const feeText =
    fees === 0
      ? rng.pick([`本年度全年未收取信息公开申请任何费用，也没有减免情况。`, `${y}年，${me}在政府信息公开工作中未收取任何费用。`])
      : `本年度按规定收取复印费${fees}元，无减免情况。`;
  const consult = rng.int(20, 900);

  return [
    {
      kind: 'paragraph',
      text: `本年报根据《中华人民共和国政府信息公开条例》（以下简称《条例》）及省、市关于政府信息公开工作的有关规定编制而成。本报告由概述、主动公开政府信息情况、依申请公开政府信息情况、咨询处理情况、行政复议和行政诉讼情况、收费及减免情况、存在的主要问题及改进措施等部分组成。${period(y, rng, true)}`,
    },
    { kind: 'heading', text: '一、概述' },
    {
      kind: 'paragraph',
      text: `${y}年，${me}认真贯彻《条例》精神，统筹推进政府信息公开，加强重点领域信息发布、解读和回应工作，强化机制体制建设，增强政府信息公开实效，进一步提高了政府公信力。`,
    },
    { kind: 'heading', text: '二、主动公开政府信息情况' },
    {
      kind: 'paragraph',
      text: rng.pick([
        `${y}年，${me}按照“公开为原则、不公开为例外”的要求，通过不同渠道和方式主动公开政府信息${active}条。其中通过政府网站公开${web}条，通过其他形式公开${active - web}条。`,
        `全年主动公开政府信息${active}条，其中通过${portalName(m)}公开${web}条，政务微博、微信等新媒体发布信息${rng.int(10, 900)}条。`,
      ]),
    },
    { kind: 'heading', text: '三、依申请公开政府信息情况' },
    { kind: 'paragraph', text: appsText },
    { kind: 'heading', text: '四、咨询处理情况' },
    {
      kind: 'paragraph',
      text: `全年共接受公众咨询${consult}人次，其中现场咨询${Math.floor(consult / 2)}人次，电话咨询${consult - Math.floor(consult / 2)}人次。`,
    },
    { kind: 'heading', text: '五、行政复议和行政诉讼情况' },
    { kind: 'paragraph', text: caseText },
    { kind: 'heading', text: '六、收费及减免情况' },
    { kind: 'paragraph', text: feeText },
    { kind: 'heading', text: '七、存在的主要问题及改进措施' },
    ...problems(m, rng),
  ];
}

export function buildBlocks(m: ReportModel, rng: Rng): ReportBlock[] {
  return m.format === 'legacy' ? legacyBlocks(m, rng) : tabularBlocks(m, rng);
}
