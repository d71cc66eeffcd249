import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ReportFormatSchema } from '../schema/parse-result.ts';

// Expected files: what a hand-checked report states (test/fixtures/reports/README.md). Two layouts are read:
// `NAME.expected.json` beside the report, or `expected/NAME.json` under the report's folder. `source` names the
// report file relative to the expected file's folder or its parent.
export const ExpectedSchema = z.object({
  source: z.string().min(1),
  isReport: z.boolean().optional(),
  title: z.string().nullable().optional(),
  year: z.number().int().nullable().optional(),
  region: z.object({ name: z.string().nullable().optional(), code: z.string().nullable() }).optional(),
  publishedAt: z.string().nullable().optional(),
  format: ReportFormatSchema.optional(),
  figures: z.record(z.string(), z.number()).optional(),
  mustWarn: z.boolean().optional(),
  notes: z.unknown().optional(),
});
export type Expected = z.infer<typeof ExpectedSchema>;

export interface EvalCase {
  expectedPath: string;
  sourcePath: string;
  expected: Expected;
}

export class EvalInputError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'EvalInputError';
  }
}

/** Every expected file in the folders named (not recursive beyond an `expected/` subfolder), folder by folder. */
export function findExpectedFiles(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const here: string[] = [];
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EvalInputError(dir, 'not a folder');
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (name.endsWith('.expected.json')) here.push(p);
      else if (name === 'expected' && statSync(p).isDirectory()) {
        for (const n of readdirSync(p)) if (n.endsWith('.json')) here.push(join(p, n));
      }
    }
    out.push(...here.sort());
  }
  return out;
}

/** Reads and validates one expected file and finds its report; a missing or malformed one throws, naming the file. */
export function loadCase(expectedPath: string): EvalCase {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(expectedPath, 'utf8'));
  } catch (e) {
    throw new EvalInputError(expectedPath, `not readable JSON: ${(e as Error).message}`);
  }
  const parsed = ExpectedSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalInputError(expectedPath, `${issue?.path.join('.') || 'file'}: ${issue?.message}`);
  }
  const here = dirname(expectedPath);
  const sourcePath = [here, dirname(here)].map((d) => join(d, parsed.data.source)).find((p) => existsSync(p));
  if (!sourcePath) throw new EvalInputError(expectedPath, `its source "${parsed.data.source}" is in neither ${here} nor ${dirname(here)}`);
  return { expectedPath, sourcePath, expected: parsed.data };
}

export const caseName = (c: EvalCase): string => basename(c.sourcePath);
