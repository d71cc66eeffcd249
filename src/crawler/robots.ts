import robotsParserModule from 'robots-parser';

// The package is CommonJS (`module.exports = function`) with ES-style typings: at run time the default
// import is the function itself.
type RobotsParser = typeof robotsParserModule extends { default: infer F } ? F : never;
const robotsParser = robotsParserModule as unknown as RobotsParser;

// robots.txt rules for one host, matched by `robots-parser` (Google's matching: longest path wins, Allow
// wins ties, `*` and `$`, percent-encodings compared in one case, every group naming the same agent merged).
// What to do when robots.txt cannot be read (status policy) and keeping it as a snapshot is fetching's job.

export interface RobotsRules {
  isAllowed(url: string): boolean;
  crawlDelaySecs: number | null;
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySecs: null };
export const DISALLOW_ALL: RobotsRules = { isAllowed: () => false, crawlDelaySecs: null };

/**
 * The product token robots.txt groups are matched against: the last `name/version` token of the
 * User-Agent (`… Chrome/126.0 Safari/537.36 nianbao/0.1` → `nianbao`), so a group for the browser the UA
 * imitates (`User-agent: Chrome`) is not taken for ours.
 */
export function robotsToken(userAgent: string): string {
  const tokens = [...userAgent.matchAll(/([A-Za-z][\w.-]*)\/[\w.]+/g)].map((m) => m[1]);
  return (tokens.at(-1) ?? userAgent).toLowerCase();
}

/** Rules of `text` (a robots.txt body) for our agent. */
export function parseRobots(text: string, userAgent: string): RobotsRules {
  // robots-parser only answers for URLs of the origin the file came from; rules are applied to the path
  // of any URL on the host (http and https share one robots.txt here, as the crawler fetches one per host).
  const origin = 'http://robots.invalid';
  const robots = robotsParser(`${origin}/robots.txt`, text);
  const token = robotsToken(userAgent);
  const delay = robots.getCrawlDelay(token);
  return {
    crawlDelaySecs: typeof delay === 'number' && Number.isFinite(delay) ? delay : null,
    isAllowed(url: string) {
      let path: string;
      try {
        const u = new URL(url);
        path = u.pathname + u.search;
      } catch {
        return false;
      }
      return robots.isAllowed(origin + normalisePath(path), token) ?? true;
    },
  };
}

/**
 * The path with non-ASCII characters percent-encoded and every escape in upper case, the form
 * robots-parser keeps rules in (`Disallow: /年报/` → `/%E5%B9%B4%E6%8A%A5/`).
 */
function normalisePath(path: string): string {
  let p = path;
  try {
    p = encodeURI(decodeURI(path));
  } catch {
    /* a malformed escape stays as it came */
  }
  return p.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}
