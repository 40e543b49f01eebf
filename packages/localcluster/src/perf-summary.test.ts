import { describe, expect, it } from "vitest";
import { formatPerfSummary, parsePerfScript, perfKind, summarizePerf } from "./perf-summary.js";

const SCRIPT = [
  "node 100/100 ",
  "\t         14f7944 Builtins_FulfillPromise",
  "\t    7f044ea7e2a5 JS:*onFrame file:///x/mux-socket-client.ts:1:6061",
  "",
  "node 100/100 ",
  "\tffffffff82203249 _raw_spin_unlock_irqrestore",
  "\tffffffff81c00000 sock_def_readable",
  "\tffffffff81c00001 tcp_sendmsg",
  "\tffffffff81c00002 do_syscall_64",
  "",
  "mariadbd 200/201 ",
  "\t           c5852 [unknown]",
  "",
  "swapper     0/0 ",
  "\tffffffff81000000 pv_native_safe_halt",
  "",
  "node 300/300 ",
  "\t          108000 v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>",
  "",
].join("\n");

describe("perf summary", () => {
  it("parses perf script output into samples with their process and frames", () => {
    const s = parsePerfScript(SCRIPT);
    expect(s.map((x) => [x.comm, x.pid, x.frames.length])).toEqual([
      ["node", 100, 2], ["node", 100, 4], ["mariadbd", 200, 1], ["swapper", 0, 1], ["node", 300, 1],
    ]);
    expect(s[0]!.frames[1]).toBe("JS:*onFrame file:///x/mux-socket-client.ts:1:6061");
  });

  it("sorts samples by kind: a wake-up under a socket send is the send's cost", () => {
    const s = parsePerfScript(SCRIPT);
    expect(s.map((x) => perfKind(x.frames))).toEqual(["promise/async", "net send", "other", "sched/irq", "gc"]);
  });

  it("groups by process and formats shares of the machine", () => {
    const names = new Map([[100, "vtgate"], [300, "vttablet"]]);
    const sum = summarizePerf(parsePerfScript(SCRIPT), (pid) => names.get(pid));
    expect(sum.total).toBe(5);
    expect([...sum.groups.keys()].sort()).toEqual(["idle", "mariadbd", "vtgate", "vttablet"]);
    expect(sum.groups.get("vtgate")!.get("net send")).toBe(1);
    const text = formatPerfSummary("t", sum);
    expect(text).toContain("vtgate      40.0% of machine: ");
    expect(text).toMatch(/net send 50%/);
  });
});
