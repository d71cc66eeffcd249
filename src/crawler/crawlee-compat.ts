import { BasicCrawler, BrowserCrawler, PlaywrightCrawler } from 'crawlee';

// Crawlee 3.18.1 types and implements the `requestManager` option (an IRequestManager, since 3.15), but
// the constructors' option validation (`ow(options, exactShape(optionsShape))`) does not list it, so
// passing one throws "Did not expect property `requestManager` to exist". Until upstream lists it, the
// shapes get the predicate Crawlee already uses for `requestQueue` (an object with fetchNextRequest and
// addRequest), which every IRequestManager satisfies. Applied once, on import.

type Shaped = { optionsShape: Record<string, unknown> };
for (const cls of [BasicCrawler, BrowserCrawler, PlaywrightCrawler] as unknown as Shaped[]) {
  cls.optionsShape.requestManager ??= cls.optionsShape.requestQueue;
}
