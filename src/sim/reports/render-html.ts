// Report body as the HTML a county CMS publishes: Word-pasted tables with real spans and varied styling.
import type { Rng } from '../random.ts';
import type { ReportModel } from './model.ts';
import { reportTableSpecs, type TableCell, type TableSpec } from './tables.ts';

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface HtmlStyle {
  tableAttrs: string;
  wrap: (inner: string) => string;
  th: boolean;
  blank: string;
  breakHeaders: boolean;
}

function pickStyle(rng: Rng): HtmlStyle {
  const font = rng.pick(['宋体', '仿宋_GB2312', 'SimSun', '微软雅黑']);
  const size = rng.pick(['12px', '14px', '10.5pt', '16px']);
  const tableAttrs = rng.pick([
    'border="1" cellspacing="0" cellpadding="0" width="100%"',
    'style="border-collapse:collapse;width:100%;" border="1"',
    'class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;border:none"',
    'width="600" align="center" border="1"',
  ]);
  const wrapKind = rng.int(0, 2);
  const wrap = (inner: string) =>
    wrapKind === 0
      ? inner
      : wrapKind === 1
        ? `<p style="text-align:center;"><span style="font-family:${font};font-size:${size};">${inner}</span></p>`
        : `<span style="font-size:${size}">${inner}</span>`;
  return { tableAttrs, wrap, th: rng.chance(0.2), blank: rng.pick(['&nbsp;', '', '<br>', '&nbsp;&nbsp;']), breakHeaders: rng.chance(0.3) };
}

const BREAKS: Record<string, string> = {
  本年新制作数量: '本年新<br>制作数量',
  本年新公开数量: '本年新<br>公开数量',
  社会公益组织: '社会公<br>益组织',
  法律服务机构: '法律服<br>务机构',
};

function cellHtml(cell: TableCell, st: HtmlStyle): string {
  const attrs = [
    cell.rowspan && cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : '',
    cell.colspan && cell.colspan > 1 ? ` colspan="${cell.colspan}"` : '',
  ].join('');
  let inner = cell.text === '' ? st.blank : escapeHtml(cell.text);
  if (cell.header && st.breakHeaders && BREAKS[cell.text]) inner = BREAKS[cell.text]!;
  const tag = cell.header && st.th ? 'th' : 'td';
  return `<${tag}${attrs}>${cell.text === '' ? inner : st.wrap(inner)}</${tag}>`;
}

export function tableHtml(spec: TableSpec, rng: Rng): string {
  const st = pickStyle(rng);
  const rows = spec.rows.map((row) => `<tr>${row.map((c) => cellHtml(c, st)).join('')}</tr>`);
  return `<table ${st.tableAttrs}><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The report body (title excluded) as an HTML fragment. */
export function renderHtmlTables(m: ReportModel, rng: Rng): string {
  const specs = new Map(reportTableSpecs(m).map((s) => [s.id, s]));
  const indent = rng.pick(['text-indent:2em;', 'text-indent:32px;', '']);
  const headingStyle = rng.int(0, 2);
  const out: string[] = [];
  for (const b of m.blocks) {
    if (b.kind === 'table') out.push(tableHtml(specs.get(b.table)!, rng));
    else if (b.kind === 'heading') {
      const t = escapeHtml(b.text);
      out.push(
        headingStyle === 0
          ? `<p style="${indent}"><strong>${t}</strong></p>`
          : headingStyle === 1
            ? `<h3>${t}</h3>`
            : `<p style="${indent}"><b><span style="font-family:黑体">${t}</span></b></p>`,
      );
    } else out.push(`<p style="${indent}">${escapeHtml(b.text)}</p>`);
  }
  return out.join('\n');
}
