import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, str, strs, type ParsedArgs } from "../args.js";
import { parseKeyspaceShard, type Command } from "../command.js";
import { parseAlias } from "../output.js";
import { parseDuration } from "../run-cli.js";

/** vttime.Duration init from a Go-style duration flag (absent: unset, so vtctld uses its default). */
function durationFlag(a: ParsedArgs, name: string): { seconds: bigint; nanos: number } | undefined {
  const text = str(a, name);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

const alias = (a: ParsedArgs, name: string): { cell: string; uid: number } | undefined => {
  const v = str(a, name);
  return v === undefined ? undefined : parseAlias(v);
};

/** Vitess's logutil.EventString: `I<mmdd hh:mm:ss.micro> <value>`. */
function eventLine(e: { time?: { seconds: bigint; nanoseconds: number } | undefined; value: string }): string {
  const d = e.time ? new Date(Number(e.time.seconds) * 1000 + Math.floor(e.time.nanoseconds / 1e6)) : new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)} ${e.value}`;
}

/** PlannedReparentShard and EmergencyReparentShard (events printed one per line, as Vitess does). */
export const reparentCommands: Command[] = [
  {
    name: "PlannedReparentShard",
    usage: "<keyspace/shard> [--new-primary <alias>] [--avoid-primary <alias>] [--wait-replicas-timeout 15s] [--expected-primary <alias>]",
    help: "Reparents a healthy shard to a new primary (demote, wait for the candidate to catch up, promote, repoint replicas).",
    flags: {
      "new-primary": { type: "string" }, "avoid-primary": { type: "string" }, "wait-replicas-timeout": { type: "string" },
      "tolerable-replication-lag": { type: "string" }, "allow-cross-cell-promotion": { type: "boolean" }, "expected-primary": { type: "string" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const np = alias(a, "new-primary");
      const avoid = alias(a, "avoid-primary");
      const expected = alias(a, "expected-primary");
      const wait = durationFlag(a, "wait-replicas-timeout");
      const lag = durationFlag(a, "tolerable-replication-lag");
      const r = await ctx.call(Vtctld.method.plannedReparentShard, {
        keyspace, shard, allowCrossCellPromotion: bool(a, "allow-cross-cell-promotion"),
        ...(np ? { newPrimary: np } : {}), ...(avoid ? { avoidPrimary: avoid } : {}), ...(expected ? { expectedPrimary: expected } : {}),
        ...(wait ? { waitReplicasTimeout: wait } : {}), ...(lag ? { tolerableReplicationLag: lag } : {}),
      });
      for (const e of r.events) ctx.out(eventLine(e));
    },
  },
  {
    name: "EmergencyReparentShard",
    usage: "<keyspace/shard> [--new-primary <alias>] [--ignore-replicas <alias,...>] [--wait-replicas-timeout 15s] [--prevent-cross-cell-promotion] [--wait-for-all-tablets]",
    help: "Promotes the most advanced reachable replica of a shard whose primary is dead.",
    flags: {
      "new-primary": { type: "string" }, "ignore-replicas": { type: "string", multi: true, commaList: true },
      "wait-replicas-timeout": { type: "string" }, "prevent-cross-cell-promotion": { type: "boolean" },
      "wait-for-all-tablets": { type: "boolean" }, "expected-primary": { type: "string" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const np = alias(a, "new-primary");
      const expected = alias(a, "expected-primary");
      const wait = durationFlag(a, "wait-replicas-timeout");
      const r = await ctx.call(Vtctld.method.emergencyReparentShard, {
        keyspace, shard, ignoreReplicas: strs(a, "ignore-replicas").map(parseAlias),
        preventCrossCellPromotion: bool(a, "prevent-cross-cell-promotion"), waitForAllTablets: bool(a, "wait-for-all-tablets"),
        ...(np ? { newPrimary: np } : {}), ...(expected ? { expectedPrimary: expected } : {}), ...(wait ? { waitReplicasTimeout: wait } : {}),
      });
      for (const e of r.events) ctx.out(eventLine(e));
    },
  },
];
