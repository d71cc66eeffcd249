import type { ReportFormat, ReportModel } from '../reports/model.ts';
import type { CountyEntry, FamilyId } from './catalog.ts';

export interface SimSiteInfo {
  id: string;
  name: string;
  regionCode: string;
  home: string;
  host: string;
  /** hosts besides `host` that belong to the site (a disclosure sub-host) */
  allowHosts: string[];
  family: FamilyId;
  charset: 'utf-8' | 'gbk';
  /** unknown paths answer 200 with a 页面不存在 page instead of 404 */
  soft404: boolean;
  /** robots.txt disallows /private/ (a report-like decoy sits behind it) */
  robotsPrivate: boolean;
  /** the 年报 column: one list, or a hub of per-year / per-unit sub-columns, each its own paged list */
  nbLayout: NbLayout;
  siteIdCode: string;
}

export type NbLayout = 'flat' | 'years' | 'units';

export type DocKind = 'pdf' | 'docx' | 'scan';
export type ReportKind = 'html' | DocKind;

export interface ManifestReport {
  /** the URL whose bytes are the report (for an attachment, the URL after redirects) */
  url: string;
  /** for attachment-only reports: the article page that links the attachment */
  pageUrl?: string;
  /**
   * other URLs of the same report: Hanweb downfile.jsp links (302 to `url`) and 繁體 converter copies
   * (`/big5/…`, Traditional text with pinyin debris); a crawler should collapse them into one report
   */
  aliases?: string[];
  /** set on an attachment that repeats a report whose page body is the report too */
  attachmentOf?: string;
  siteId: string;
  year: number;
  regionCode: string;
  regionName: string;
  issuer: string;
  title: string;
  publishedAt: string;
  format: ReportFormat;
  kind: ReportKind;
  figures: Record<string, number>;
}

export interface ManifestDecoy {
  url: string;
  title: string;
  siteId: string;
  /** why it is not a report: notice, work_report, statistics, budget, website_report, rule_of_law, graphic, robots */
  type: string;
}

export interface Manifest {
  seed: number;
  /** the faults the server was started with, if any */
  faults?: import('../server.ts').SimFaults;
  sites: SimSiteInfo[];
  reports: ManifestReport[];
  decoys: ManifestDecoy[];
}

/** What the server answers for one URL. */
export type Route =
  | { kind: 'page'; html: string; status?: number }
  | { kind: 'raw'; body: string | Uint8Array; contentType: string; status?: number; headers?: Record<string, string> }
  | { kind: 'redirect'; location: string; status?: 301 | 302 }
  | { kind: 'document'; docKind: DocKind; model: ReportModel; filename: string; contentType?: string; disposition?: boolean }
  | { kind: 'dynamic'; handle: (req: SimRequest) => Route | Promise<Route> };

export interface SimRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SiteContext {
  county: CountyEntry;
  info: SimSiteInfo;
  /** base of the disclosure platform: `http://host` (may be a sub-host) */
  platformBase: string;
  homeBase: string;
}
