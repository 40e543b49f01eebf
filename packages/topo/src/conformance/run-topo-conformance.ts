import { afterEach, describe } from "vitest";
import type { TopoConn } from "../topo-conn.js";
import type { ConformanceContext, ConformanceTarget } from "./conformance-target.js";
import { electionCases } from "./election-cases.js";
import { fileCases } from "./file-cases.js";
import { lockCases } from "./lock-cases.js";
import { watchCases } from "./watch-cases.js";

/**
 * Registers the TopoConn conformance suite (vitest) for one backend. Call at module level of a test file; the
 * target's makeConn is only called inside tests, so it may depend on a server started in beforeAll. Each test
 * gets a fresh root; conns it opens are closed after it.
 */
export function runTopoConformance(name: string, target: ConformanceTarget): void {
  describe(`topo conformance: ${name}`, () => {
    let current: ConformanceContext | null = null;
    let conns: TopoConn[] = [];
    let n = 0;
    const ctx = (): ConformanceContext => {
      if (current !== null) return current;
      const root = `/conformance/${name}-${Date.now()}-${n++}`;
      current = {
        target,
        conn: async () => {
          const c = await target.makeConn(root);
          conns.push(c);
          return c;
        },
      };
      return current;
    };
    afterEach(async () => {
      const open = conns;
      conns = [];
      current = null;
      await Promise.all(open.map((c) => c.close().catch(() => {})));
    });
    describe("files and versions", () => fileCases(ctx));
    describe("locks", () => lockCases(ctx));
    describe("watches", () => watchCases(ctx));
    describe("elections", () => electionCases(ctx));
  });
}
