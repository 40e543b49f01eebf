#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx vtctldclient ...` works from the repo root.
import { register } from "tsx/esm/api";
register();
await import("../src/main.ts");
