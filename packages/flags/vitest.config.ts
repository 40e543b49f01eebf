import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "flags", include: ["src/**/*.test.ts"], testTimeout: 30000, hookTimeout: 120000 } });
