/** What the page around a report says about it (meta tags, info tables, 发布日期 lines); hints, not facts. */
export type PageMeta = {
  title?: string;
  publishedAt?: string; // YYYY-MM-DD
  publisher?: string;
  siteIdCode?: string;
  columnName?: string;
  breadcrumb?: string;
};

const HAN = /\p{Script=Han}/u;

/** The first YYYY-MM-DD / YYYY年M月D日 date in a string. */
export function pickDate(text: string): string | undefined {
  const m = text.match(/(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/);
  if (!m) return undefined;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

// Labels of page dates, best first (docs/report-formats.md §7).
const DATE_LABELS: Array<[RegExp, number]> = [
  [/(?:发布|公开|发文|公布|印发)(?:日期|时间)|发布于|信息时间/, 0],
  [/(?<!页面)生成(?:日期|时间)/, 1],
  [/成文(?:日期|时间)/, 2],
];

/** Fills what `meta` lacks from labelled lines: 发布日期/发布时间/公开日期 (best), 生成日期, 成文日期; 发布机构/来源. */
export function metaFromLines(lines: string[], meta: PageMeta): void {
  let bestRank = meta.publishedAt ? -1 : 99;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    for (const [re, rank] of DATE_LABELS) {
      const m = line.match(re);
      if (!m || rank >= bestRank) continue;
      // "公开日期\t2024-01-17" or "公开日期" with the value in the next line (info tables, seed 000).
      const after = line.slice((m.index ?? 0) + m[0].length);
      const d = pickDate(after.slice(0, 40)) ?? (after.trim() === '' ? pickDate(lines[i + 1] ?? '') : undefined);
      if (d) {
        meta.publishedAt = d;
        bestRank = rank;
      }
    }
    // A text archive's header block: `标题: …` on a line of its own.
    if (!meta.title) {
      const t = line.match(/^\s*(?:文章)?标\s*题\s*[:：]\s*(\S.{2,100})$/);
      if (t && HAN.test(t[1])) meta.title = t[1].trim();
    }
    if (!meta.publisher) {
      const m = line.match(/(?:发布机构|发文机关|来\s*源)[\s:：|]*([^\t|:：\n]{2,30})/);
      if (m && HAN.test(m[1])) meta.publisher = m[1].trim().split(/\s{2,}|\s(?=发布|时间|日期|浏览)/)[0];
    }
    if (!meta.breadcrumb && /当前位置|您现在的位置|您所在的位置/.test(line)) meta.breadcrumb = line.replace(/^.*?位置\s*[:：]?\s*/, '');
  }
}
