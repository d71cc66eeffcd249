import { classifyTitle, cueText, scoreLink } from './cues.ts';
import { isPagerText, isSameListPager } from './families.ts';
import type { FrontierItem } from './frontier.ts';

// Enqueueing: which links of a page are followed and how urgently (docs/site-families.md §1, §4). Priorities
// of the best-first frontier: cue scores land between about −20 and +25; the bands below sit above them so
// a found report or its files are fetched before any further exploration. Pure: the caller queues.

export const P_HOME = 1000;
export const P_REPORT_FILE = 500;
export const P_REPORT_LINK = 300;
/** Links scoring ≤ −5 are not followed for discovery. */
export const MIN_FOLLOW = -4;

export interface LinkIn {
  url: string;
  text: string;
  attachment: boolean;
  /** In the page's navigation chrome, not its content. */
  chrome: boolean;
}

export interface PageContext {
  /** The page being read (the link's parent). */
  item: Pick<FrontierItem, 'priority' | 'depth'>;
  pageUrl: string;
  /** Area cue score of the page (10 = inside a 年报 column). */
  context: number;
  inArea: boolean;
  /** The page was judged a report: its files are the report's files. */
  onReport: boolean;
}

/** The frontier item a link becomes, or null when it is not followed. */
export function linkToItem(p: PageContext, l: LinkIn): FrontierItem | null {
  const { item, pageUrl, context, inArea, onReport } = p;
  const cls = classifyTitle(l.text);
  let priority: number;
  let kind: 'page' | 'attachment' = l.attachment ? 'attachment' : 'page';
  let reportLink = false;
  let ofReport = false;
  if (onReport && l.attachment && !l.chrome) {
    if (cls === 'decoy') return null;
    priority = P_REPORT_FILE;
    ofReport = true;
  } else if (cls === 'report') {
    priority = P_REPORT_LINK + (l.chrome ? 0 : 10);
    reportLink = true;
  } else if (cls === 'decoy') {
    // 图解/解读 companions link to the real report; other neighbours lead nowhere useful.
    if (!/图解|解读|一图/.test(cueText(l.text))) return null;
    priority = 0;
    kind = 'page';
  } else if (l.attachment) {
    return null; // a file without a report title, off a report page: 指南, forms, budgets
  } else {
    const s = scoreLink({ text: l.text, url: l.url, inDisclosureArea: inArea });
    if (s <= -5) return null;
    const bonus = l.chrome ? 0 : context >= 8 ? 4 : context >= 3 ? 1 : 0;
    priority = s + bonus;
    if (!l.chrome && isSameListPager(l.url, pageUrl) && (isPagerText(l.text) || /^\d+$/.test(l.text)))
      priority = Math.max(priority, item.priority, 6);
    if (priority < MIN_FOLLOW) return null;
  }
  const childContext = l.chrome
    ? Math.max(0, Math.min(scoreLink({ text: l.text, url: l.url }), 10))
    : Math.max(Math.min(scoreLink({ text: l.text, url: l.url, inDisclosureArea: inArea }), 10), context >= 8 ? context - 2 : 0);
  return {
    url: l.url,
    priority,
    kind,
    context: childContext,
    discoveredFrom: pageUrl,
    linkText: l.text || null,
    parentUrl: ofReport || reportLink ? pageUrl : null,
    reportLink,
    ofReport,
    depth: item.depth + 1,
  };
}

/** A page reached by structure rather than a link's words (list page N, iframe, meta refresh). */
export function structuralItem(
  item: Pick<FrontierItem, 'depth'>,
  pageUrl: string,
  url: string,
  text: string,
  priority: number,
  context: number,
): FrontierItem {
  return {
    url,
    priority,
    kind: 'page',
    context,
    discoveredFrom: pageUrl,
    linkText: text || null,
    parentUrl: null,
    reportLink: false,
    ofReport: false,
    depth: item.depth + 1,
  };
}
