import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { z } from 'zod';
import { SiteListSchema, type SiteList } from '../schema/index.ts';

export interface ConfigIssue {
  file: string;
  line: number | null; // 1-based; null when the file could not be read at all
  path: string; // "sites[3].regionCode", "" for the whole document
  message: string;
}

/** A configuration file that cannot be used; `message` lists every issue as `file:line: path: message`. */
export class ConfigError extends Error {
  readonly code: 'unreadable' | 'yaml_syntax' | 'invalid';
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(code: ConfigError['code'], file: string, issues: ConfigIssue[], opts: { cause?: unknown } = {}) {
    const lines = issues.map((i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`, { cause: opts.cause });
    this.name = 'ConfigError';
    this.code = code;
    this.file = file;
    this.issues = issues;
  }
}

/** "sites[3].regionCode" from zod's ["sites", 3, "regionCode"]. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/**
 * Reads and validates a site list (config/sites.yaml). Every problem is reported at once, with the
 * line of the offending value (or of the nearest enclosing one when a key is missing).
 */
export function loadSiteList(file: string): SiteList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError('unreadable', file, [{ file, line: null, path: '', message: (cause as Error).message }], { cause });
  }
  return parseSiteList(text, file);
}

/** As loadSiteList, from text already read; `file` is used in messages only. */
export function parseSiteList(text: string, file = '<site list>'): SiteList {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new ConfigError(
      'yaml_syntax',
      file,
      doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const data = doc.toJS() ?? {};
  const parsed = SiteListSchema.safeParse(data);
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(toIssue(issue, data, doc.contents, file, lineAt));
  } else {
    const seen = new Map<string, number>();
    parsed.data.sites.forEach((s, i) => {
      const first = seen.get(s.id);
      if (first !== undefined) {
        issues.push({
          file,
          line: lineOf(doc.contents, ['sites', i, 'id'], lineAt),
          path: `sites[${i}].id`,
          message: `duplicate id "${s.id}" (first at sites[${first}])`,
        });
      } else seen.set(s.id, i);
    });
  }
  if (issues.length > 0)
    throw new ConfigError(
      'invalid',
      file,
      issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
  return parsed.data!;
}

function toIssue(issue: z.core.$ZodIssue, data: unknown, root: unknown, file: string, lineAt: (o: number) => number): ConfigIssue {
  const path = [...issue.path];
  let message = issue.message;
  // zod reports unknown keys on the object; name them and point at the first one.
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    message = `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
    return { file, line: lineOf(root, [...path, keys[0]], lineAt, true), path: formatPath(path), message };
  }
  if (issue.code === 'invalid_type') {
    // zod leaves the offending value out of issues unless asked; read it from the data.
    const input = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), data);
    message = typeMessage((issue as { expected: string }).expected, input) ?? message;
  }
  return { file, line: lineOf(root, path, lineAt), path: formatPath(path), message };
}

/** zod's "Invalid input: expected string, received number" in the terms of someone editing YAML. */
function typeMessage(expected: string, input: unknown): string | null {
  if (input === undefined) return `required (${expected})`;
  if (expected === 'string' && typeof input === 'number') {
    return `expected text, got the number ${input}: quote it ("${input}") so YAML keeps it as written`;
  }
  if (input === null) return `expected ${expected}, got an empty value`;
  return null;
}

/** Line of the node at `path`, or of its nearest existing ancestor (a missing key is reported where its object is). */
function lineOf(root: unknown, path: PropertyKey[], lineAt: (o: number) => number, keyLine = false): number | null {
  let node = root as Node | null | undefined;
  let best: number | null = node && (node as Node).range ? lineAt((node as Node).range![0]) : 1;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) break;
      const k = pair.key as Node | null;
      if (keyLine && seg === path[path.length - 1] && k?.range) return lineAt(k.range[0]);
      node = pair.value as Node | null;
      const at = node?.range ?? k?.range;
      if (at) best = lineAt(at[0]);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | null;
      if (!node?.range) break;
      best = lineAt(node.range[0]);
    } else break;
  }
  return best;
}
