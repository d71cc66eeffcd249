import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSiteList, parseSiteList } from '../../../src/config/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadSiteList', () => {
  it('reads a valid list and fills defaults from the schema', () => {
    const list = loadSiteList(fixture('sites-valid.yaml'));
    expect(list.defaults.delayMs).toBe(500);
    expect(list.defaults.maxConcurrencyPerHost).toBe(2);
    expect(list.sites.map((s) => s.id)).toEqual(['yongxiu', 'lingchuan-shanxi']);
    expect(list.sites[0]).toEqual({
      id: 'yongxiu',
      name: '永修县',
      regionCode: '360425',
      home: 'http://www.yongxiu.gov.cn/',
      allowHosts: [],
      maxPages: 400,
    });
    expect(list.sites[1]).toMatchObject({ allowHosts: ['xxgk.lczf.gov.cn'], charset: 'gbk', maxPages: 50 });
  });

  it('lists every problem with file, line and field', () => {
    const file = fixture('sites-invalid.yaml');
    const err = configError(() => loadSiteList(file));
    expect(err.code).toBe('invalid');
    const lines = err.message.split('\n').slice(1);
    expect(lines).toEqual([
      `${file}:6: sites[1].id: lower-case letters, digits, - and _`,
      `${file}:8: sites[1].regionCode: a 6-digit GB/T 2260 code`,
      `${file}:9: sites[1].home: ${err.issues.find((i) => i.path === 'sites[1].home')!.message}`,
      `${file}:10: sites[2].name: required (string)`,
      `${file}:13: sites[2]: unknown key "maxPage"`,
      `${file}:16: sites[3].regionCode: expected text, got the number 360425: quote it ("360425") so YAML keeps it as written`,
    ]);
    expect(err.message.split('\n')[0]).toBe(`${file}: 6 problems`);
  });

  it('names duplicate site ids', () => {
    const err = configError(() => loadSiteList(fixture('sites-duplicate.yaml')));
    expect(err.issues).toEqual([
      { file: fixture('sites-duplicate.yaml'), line: 6, path: 'sites[1].id', message: 'duplicate id "yongxiu" (first at sites[0])' },
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = configError(() => loadSiteList(fixture('sites-bad-yaml.yaml')));
    expect(err.code).toBe('yaml_syntax');
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.issues[0].line).toBeGreaterThanOrEqual(4);
    expect(err.message).toMatch(/sites-bad-yaml\.yaml:\d+: YAML: /);
  });

  it('reports an unreadable file by name', () => {
    const err = configError(() => loadSiteList('/nonexistent/sites.yaml'));
    expect(err.code).toBe('unreadable');
    expect(err.message).toContain('/nonexistent/sites.yaml');
  });

  it('an empty document or one without sites is an error at line 1', () => {
    const err = configError(() => parseSiteList('', 'empty.yaml'));
    expect(err.issues[0]).toMatchObject({ file: 'empty.yaml', line: 1, path: 'sites' });
  });

  it('the shipped config/sites.yaml is valid, with unique ids and region codes', () => {
    const list = loadSiteList(fileURLToPath(new URL('../../../config/sites.yaml', import.meta.url)));
    expect(list.sites.length).toBeGreaterThanOrEqual(30);
    expect(new Set(list.sites.map((s) => s.regionCode)).size).toBe(list.sites.length);
    for (const s of list.sites) expect(s.home).toMatch(/^https?:\/\/[^/]+\/$/);
  });
});
