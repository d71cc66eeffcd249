import type { Rng } from '../random.ts';
import type { FamilyId } from '../sites/catalog.ts';
import type { ArticleOptions, PageOptions } from '../sites/chrome.ts';
import type { Route, SiteContext } from '../sites/types.ts';

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
}
