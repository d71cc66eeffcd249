import { z } from 'zod';

// config/*.yaml — the site list. Validated once; errors name file, line and field (src/config/load-sites.ts).

export const SiteSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
    name: z.string().min(1), // 永修县
    regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code'),
    home: z.string().url(), // portal home page, where the crawl starts
    allowHosts: z.array(z.string()).default([]), // extra hosts (disclosure sub-host, city platform)
    charset: z.string().optional(), // force a charset when a site lies about it
    maxPages: z.number().int().positive().default(400),
    notes: z.string().optional(),
  })
  .strict();
export type Site = z.infer<typeof SiteSchema>;

export const CrawlDefaultsSchema = z
  .object({
    maxConcurrencyPerHost: z.number().int().positive().default(2),
    delayMs: z.number().int().nonnegative().default(1000),
    requestTimeoutSecs: z.number().int().positive().default(30),
    maxRetries: z.number().int().nonnegative().default(3),
    respectRobotsTxt: z.boolean().default(true),
    userAgent: z
      .string()
      .default('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 nianbao/0.1'),
    maxDocumentBytes: z
      .number()
      .int()
      .positive()
      .default(50 * 1024 * 1024),
  })
  .strict();
export type CrawlDefaults = z.infer<typeof CrawlDefaultsSchema>;

export const SiteListSchema = z
  .object({
    defaults: CrawlDefaultsSchema.default(CrawlDefaultsSchema.parse({})),
    sites: z.array(SiteSchema).min(1),
  })
  .strict();
export type SiteList = z.infer<typeof SiteListSchema>;
