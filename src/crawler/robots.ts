// robots.txt rules for one host. Groups are chosen by the longest matching user-agent token (falling back
// to `*`); within a group the longest matching Allow/Disallow path wins and Allow wins ties (RFC 9309).

export interface RobotsRules {
  isAllowed(url: string): boolean;
  crawlDelaySecs: number | null;
}

interface Rule {
  allow: boolean;
  pattern: string;
  re: RegExp;
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySecs: null };
export const DISALLOW_ALL: RobotsRules = { isAllowed: () => false, crawlDelaySecs: null };

function toRegExp(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

export function parseRobots(text: string, userAgent: string): RobotsRules {
  const groups: { agents: string[]; rules: Rule[]; delay: number | null }[] = [];
  let current: { agents: string[]; rules: Rule[]; delay: number | null } | null = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1].toLowerCase();
    const value = m[2].trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], delay: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (field === 'allow' || field === 'disallow') {
      // An empty Disallow means "allow everything"; it adds no rule.
      if (!value) continue;
      current.rules.push({ allow: field === 'allow', pattern: value, re: toRegExp(value) });
    } else if (field === 'crawl-delay') {
      const n = Number(value);
      if (Number.isFinite(n)) current.delay = n;
    }
  }
  const ua = userAgent.toLowerCase();
  let chosen: (typeof groups)[number] | undefined;
  let chosenLen = -1;
  for (const g of groups) {
    for (const a of g.agents) {
      if (a === '*' && chosenLen < 0) {
        chosen = g;
        chosenLen = 0;
      } else if (a !== '*' && ua.includes(a) && a.length > chosenLen) {
        chosen = g;
        chosenLen = a.length;
      }
    }
  }
  if (!chosen) return ALLOW_ALL;
  const rules = chosen.rules;
  return {
    crawlDelaySecs: chosen.delay,
    isAllowed(url: string) {
      let path: string;
      try {
        const u = new URL(url);
        path = u.pathname + u.search;
      } catch {
        return false;
      }
      let best: Rule | null = null;
      for (const r of rules) {
        if (!r.re.test(path)) continue;
        if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow)) best = r;
      }
      return best ? best.allow : true;
    },
  };
}
