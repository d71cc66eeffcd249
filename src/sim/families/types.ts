import type { Rng } from '../random.ts';
import type { FamilyId } from '../sites/catalog.ts';
import type { ArticleOptions, PageOptions } from '../sites/chrome.ts';
import type { ReportModel } from '../reports/model.ts';
import type { BodyRequest, Route, SiteContext } from '../sites/types.ts';

export interface Column {
  key: string;
  name: string;
  slug: string;
  /** numeric id (Hanweb colId, Epoint categorynum, TRS channel id) */
  colId: number;
  /** `http://host` the column lives on */
  base: string;
  breadcrumb: [string, string | null][];
}

export interface ListEntry {
  /** absolute URL */
  href: string;
  title: string;
  date: string;
}

export interface AttachmentLink {
  /** the href as written in the article page */
  href: string;
  /** the absolute URL that answers 200 with the bytes */
  servedUrl: string;
  /** absolute URLs that redirect to servedUrl */
  aliases: string[];
  oldsrc?: string;
  /** answer with Content-Disposition and a generic type (GUID endpoints) */
  opaque?: boolean;
}

export interface Builder {
  ctx: SiteContext;
  register(url: string, route: Route): void;
  page(o: PageOptions): string;
}

export interface Family {
  id: FamilyId;
  homePath: string;
  columnUrl(col: Column): string;
  articleUrl(col: Column, date: string, id: number): string;
  attachment(articleUrl: string, date: string, id: number, ext: string, showname: string, rng: Rng): AttachmentLink;
  /** registers the list pages (and any list API) of a column */
  renderList(b: Builder, col: Column, entries: ListEntry[], opts: { pageSize: number; sidebar?: string }): void;
  article: Partial<ArticleOptions>;
  /** hosts (with .test) the family serves besides the site's own, e.g. an iframe target */
  extraHosts?: string[];
  /**
   * Serves an article itself (shells filled by an API, iframes, mobile duplicates, split pages) instead of
   * one plain page at `url`; returns what the manifest must say about it.
   */
  publishArticle?(b: Builder, a: ArticleToPublish): PublishedArticle;
  /** Registers the 年报 hub of a unit-split column (default: a static page of links to the sub-columns). */
  renderHub?(b: Builder, hub: Column, subs: { col: Column; group: string }[], opts: { sidebar?: string }): void;
}

export interface ArticleToPublish {
  /** family.articleUrl(): the URL lists link to */
  url: string;
  col: Column;
  /** the article as the plain template would show it (bodyHtml without attachments) */
  o: ArticleOptions;
  breadcrumb: [string, string | null][];
  /** a report whose body is the report (not attachment-only), a report page whose report is an attachment, or a decoy */
  role: 'report' | 'attachment-page' | 'decoy' | 'other';
  model?: ReportModel;
  rng: Rng;
}

export interface PublishedArticle {
  /** the URL whose bytes carry the body (default `url`) */
  url?: string;
  aliases?: string[];
  bodyVia?: BodyRequest;
  framedIn?: string;
  parts?: string[];
}
