import type { Reporter, TestModule } from 'vitest/node';

// A test that is skipped silently turns a gate off (the parser evaluation once disappeared this way when its
// fixtures were missing). Any skipped or todo test fails the run, with its name.
export default class NoSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${mod.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}`);
      }
    }
    if (skipped.length === 0) return;
    process.stderr.write(
      `\nnianbao: ${skipped.length} test(s) skipped; a skipped test fails the run:\n${skipped.map((s) => `  ${s}`).join('\n')}\n`,
    );
    process.exitCode = 1;
  }
}
