import type { Section } from '../schema/parse-result.ts';

// Top-level headings: 一、… (also markdown '#' and numbered 第一部分). Sub-heads （一） stay inside a section.
const HEADING = /^\s*(?:#{1,6}\s*)?(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分\s*[、:：]?)\s*(.{2,60})$/;

/** Section key by meaning (docs/report-formats.md §5), never by numeral. */
export function sectionKey(title: string): string {
  const t = title.replace(/\s+/g, '');
  if (/其他需要报告|其他事项|其他需报告/.test(t)) return 'other';
  if (/问题|改进|整改|下一步|打算/.test(t)) return 'problems';
  if (/复议|诉讼/.test(t)) return 'review';
  if (/收费|费用|减免/.test(t)) return 'fees';
  if (/收到和处理|依申请|申请情况|申请办理/.test(t)) return 'applications';
  if (/主动公开/.test(t)) return 'active';
  if (/总体情况|概述|概况|基本情况/.test(t)) return 'overview';
  return 'unknown';
}

/** Splits body text at top-level headings that read like headings (short, no sentence punctuation). */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let cur: Section | null = null;
  const text: string[] = [];
  const close = () => {
    if (cur) sections.push({ ...cur, text: text.join('\n').trim() });
    text.length = 0;
  };
  for (const line of body.split('\n')) {
    const m = line.includes('\t') ? null : line.match(HEADING);
    const title = m?.[1]?.trim() ?? '';
    // Table-三 row labels (一、本年新收…, 三、本年度办理结果) are numbered like headings but are table rows.
    const tableRow = /\d\s*$/.test(title) || /本年新收|上年结转|本年度办理结果|结转下年/.test(title);
    if (m && !tableRow && title.length <= 40 && !/[。；;]/.test(title) && !/[，,]/.test(title.slice(0, -1))) {
      close();
      cur = { key: sectionKey(title), title: line.replace(/^\s*#+\s*/, '').trim(), text: '' };
      continue;
    }
    if (cur) text.push(line);
  }
  close();
  return sections;
}
