// Prints the workplace's closing line "N passed, N failed, N skipped" after a vitest run.
import type { Reporter, TestModule } from "vitest/node";

export default class PlainSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      for (const t of tests) {
        const s = t.result().state;
        if (s === "passed") passed++;
        else if (s === "failed") failed++;
        else skipped++;
      }
      if (m.state() === "failed" && tests.every((t) => t.result().state !== "failed")) failed++;
    }
    console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
