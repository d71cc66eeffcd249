import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freshArchive } from './helpers.ts';

const read = (rel: string) => readFileSync(fileURLToPath(new URL(`../../../${rel}`, import.meta.url)), 'utf8');

/** name → columns of every table and view in a freshly migrated archive. */
function liveSchema(): Map<string, { type: string; columns: string[] }> {
  const a = freshArchive();
  // FTS5 keeps its index in shadow tables (<name>_data, _idx, _config, _docsize, _content): SQLite's, not ours.
  const fts = (
    a.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const shadow = (n: string) => fts.some((f) => new RegExp(`^${f}_(data|idx|config|docsize|content)$`).test(n));
  const objects = (
    a.db
      .prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string; type: string }[]
  ).filter((o) => !shadow(o.name));
  return new Map(
    objects.map((o) => [
      o.name,
      { type: o.type, columns: (a.db.prepare(`PRAGMA table_info("${o.name}")`).all() as { name: string }[]).map((c) => c.name) },
    ]),
  );
}

/** "### name" sections of docs/schema.md → their text. */
function docSections(md: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = md.split(/^### /m).slice(1);
  for (const p of parts) {
    const [head, ...rest] = p.split('\n');
    sections.set(head.trim(), rest.join('\n').split(/^## /m)[0]);
  }
  return sections;
}

describe('docs/schema.md', () => {
  const schema = liveSchema();
  const sections = docSections(read('docs/schema.md'));

  it('documents every table and view of the live schema', () => {
    const missing = [...schema.keys()].filter((n) => !sections.has(n));
    expect(missing, `add a "### name" section to docs/schema.md for: ${missing.join(', ')}`).toEqual([]);
  });

  it("documents every column, in its table's section", () => {
    const missing: string[] = [];
    for (const [name, { columns }] of schema) {
      const text = sections.get(name) ?? '';
      for (const c of columns) if (!text.includes(`| \`${c}\` |`)) missing.push(`${name}.${c}`);
    }
    expect(missing, 'columns missing from docs/schema.md').toEqual([]);
  });

  it('documents nothing that does not exist', () => {
    const stale = [...sections.keys()].filter((n) => !schema.has(n));
    expect(stale).toEqual([]);
    const staleColumns: string[] = [];
    for (const [name, text] of sections) {
      const cols = schema.get(name)?.columns ?? [];
      for (const m of text.matchAll(/^\| `([a-z_0-9]+)` \|/gm)) if (!cols.includes(m[1])) staleColumns.push(`${name}.${m[1]}`);
    }
    expect(staleColumns).toEqual([]);
  });
});

describe('metadata.yml (Datasette)', () => {
  const schema = liveSchema();
  const meta = parseYaml(read('metadata.yml')) as {
    databases: Record<
      string,
      { tables: Record<string, { description?: string; columns?: Record<string, string>; units?: Record<string, string> }> }
    >;
  };
  const tables = meta.databases.nianbao.tables;

  it('describes every table and view', () => {
    const missing = [...schema.keys()].filter((n) => !tables[n]?.description);
    expect(missing).toEqual([]);
  });

  it('names only columns that exist', () => {
    const stale: string[] = [];
    for (const [name, t] of Object.entries(tables)) {
      const cols = schema.get(name)?.columns ?? [];
      for (const c of [...Object.keys(t.columns ?? {}), ...Object.keys(t.units ?? {})]) if (!cols.includes(c)) stale.push(`${name}.${c}`);
    }
    expect(stale).toEqual([]);
  });
});
