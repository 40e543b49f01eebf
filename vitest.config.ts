import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tests/e2e"],
    reporters: ["default", "./plain-summary-reporter.ts"],
  },
});
