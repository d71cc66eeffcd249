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
  /** family sites only (`include: 'families'`): what a crawler must cope with beyond plain links */
  mechanics?: string[];
  /** family sites only: hosts reachable over https through the proxy's CONNECT, and how their TLS behaves */
  tls?: Record<string, TlsMode>;
}

/**
 * https behaviour of a host (CONNECT through the sim proxy, certificates of the sim's private test CA):
 * `ok` full chain; `forbidden` full chain but every request answers 403 (http works);
 * `incomplete-chain` the leaf without its intermediate (Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE);
 * `handshake-failure` TLS 1.0 only, which Node ≥ 17 and Chromium refuse. Hosts not listed refuse CONNECT (502).
 */
export type TlsMode = 'ok' | 'forbidden' | 'incomplete-chain' | 'handshake-failure';

/** A request that returns the body a shell page fills in by script. */
export interface BodyRequest {
  url: string;
  method: 'GET' | 'POST';
  contentType?: string;
  body?: string;
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
  /**
   * the page at `url` (or `pageUrl`) is a shell whose body a script loads with this request; `url` is still
   * the URL to archive the report under (the API response is also listed in `aliases` when it is a GET)
   */
  bodyVia?: BodyRequest;
  /** the page at `url` (or `pageUrl`) is shown inside an <iframe> of this outer page, which holds no body */
  framedIn?: string;
  /** a report split over several pages linked 下一页: every part in order (`parts[0]` is `url`) */
  parts?: string[];
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
  /** as for reports: a shell whose body this request returns */
  bodyVia?: BodyRequest;
  framedIn?: string;
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
