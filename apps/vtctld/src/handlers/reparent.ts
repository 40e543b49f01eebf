import { create } from "@bufbuild/protobuf";
import { TabletAliasSchema, TabletType, type Tablet, type TabletAlias } from "@vt/proto/topodata";
import { TimeSchema, type Duration } from "@vt/proto/vttime";
import { getShard, lockShard, tabletAliasEqual, tabletAliasString, updateShardFields, updateTabletFields } from "@vt/topo";
import { vtErr, type TabletManagerClientOf, type VtctldDeps, type VtctldImpl } from "../deps.js";
import { findTablets } from "./tablets.js";

const DEFAULT_WAIT_MS = 15_000;

const durationMs = (d: Duration | undefined, dflt: number): number => {
  if (d === undefined) return dflt;
  const ms = Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
  return ms > 0 ? ms : dflt;
};

/** MariaDB GTID position (`MariaDB/0-100-5,1-200-3` or bare) → domain → sequence number. */
export function gtidSeqs(position: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const body = position.includes("/") ? position.slice(position.indexOf("/") + 1) : position;
  for (const g of body.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const [domain, , seq] = g.split("-");
    if (domain === undefined || seq === undefined) continue;
    const n = BigInt(seq);
    if ((out.get(domain) ?? -1n) < n) out.set(domain, n);
  }
  return out;
}

/** True when position `a` contains everything `b` does (per GTID domain, a's sequence ≥ b's). */
export function positionAtLeast(a: string, b: string): boolean {
  const sa = gtidSeqs(a);
  for (const [d, n] of gtidSeqs(b)) if ((sa.get(d) ?? -1n) < n) return false;
  return true;
}

/** A logutil.Event-shaped log line for reparent responses. */
const event = (value: string): { value: string; time: { seconds: bigint; nanoseconds: number } } => {
  const ms = Date.now();
  return { value, time: { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 } };
};

/**
 * PlannedReparentShard and EmergencyReparentShard over the tablets' TabletManager (DemotePrimary, WaitForPosition,
 * PromoteReplica, SetReplicationSource, StopReplication, PrimaryPosition), under the shard lock, as Vitess's
 * reparentutil does it for one cell and MariaDB GTID: the shard record's primary_alias moves to the new primary and
 * every other tablet replicates from it.
 */
export function reparentHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts, tmc } = deps;
  const tm = (t: Tablet): TabletManagerClientOf => tmc.forTablet(t);
  const alias = (t: Tablet): string => tabletAliasString(t.alias!);

  /** Topo follow-up after a promotion: the shard's primary and both tablet records (tablets also write their own). */
  async function publish(keyspace: string, shard: string, newPrimary: Tablet, oldPrimary: Tablet | undefined): Promise<void> {
    const now = create(TimeSchema, event("").time);
    await updateShardFields(ts, keyspace, shard, (s) => {
      s.primaryAlias = create(TabletAliasSchema, newPrimary.alias!);
      s.primaryTermStartTime = now;
      s.isPrimaryServing = true;
    });
    await updateTabletFields(ts, newPrimary.alias!, (t) => {
      t.type = TabletType.PRIMARY;
      t.primaryTermStartTime = now;
    });
    if (oldPrimary !== undefined && !tabletAliasEqual(oldPrimary.alias, newPrimary.alias)) {
      await updateTabletFields(ts, oldPrimary.alias!, (t) => {
        if (t.type !== TabletType.PRIMARY) return false;
        t.type = TabletType.REPLICA;
        t.primaryTermStartTime = undefined;
        return undefined;
      }).catch(() => undefined);
    }
  }

  /** Points every tablet but the new primary at it; failures are reported as events (Vitess: best effort). */
  async function reparentOthers(tablets: Tablet[], newPrimary: Tablet, events: { value: string }[], skip: (t: Tablet) => boolean): Promise<void> {
    await Promise.all(tablets.filter((t) => !tabletAliasEqual(t.alias, newPrimary.alias) && !skip(t)).map(async (t) => {
      try {
        await tm(t).setReplicationSource({ parent: newPrimary.alias!, forceStartReplication: true, waitPosition: "" });
        events.push(event(`tablet ${alias(t)} now replicates from ${alias(newPrimary)}`));
      } catch (e) {
        events.push(event(`failed to reparent tablet ${alias(t)}: ${(e as Error).message}`));
      }
    }));
  }

  const shardTablets = (keyspace: string, shard: string): Promise<Tablet[]> =>
    findTablets(deps, { keyspace, shard, cells: [], tabletAliases: [], tabletType: TabletType.UNKNOWN });

  return {
    async plannedReparentShard(req) {
      const { keyspace, shard } = req;
      if (keyspace === "" || shard === "") throw vtErr("INVALID_ARGUMENT", "keyspace and shard are required");
      const waitMs = durationMs(req.waitReplicasTimeout, DEFAULT_WAIT_MS);
      return lockShard(ts, keyspace, shard, "PlannedReparentShard", async () => {
        const events: { value: string; time: { seconds: bigint; nanoseconds: number } }[] = [];
        const si = (await getShard(ts, keyspace, shard)).value;
        const tablets = await shardTablets(keyspace, shard);
        const byAlias = (a: TabletAlias): Tablet | undefined => tablets.find((t) => tabletAliasEqual(t.alias, a));
        const current = si.primaryAlias !== undefined && si.primaryAlias.uid !== 0 ? byAlias(si.primaryAlias) : undefined;
        if (current === undefined) throw vtErr("FAILED_PRECONDITION", `shard ${keyspace}/${shard} has no primary; use EmergencyReparentShard`);
        if (req.expectedPrimary !== undefined && !tabletAliasEqual(req.expectedPrimary, current.alias)) {
          throw vtErr("FAILED_PRECONDITION", `primary of ${keyspace}/${shard} is ${alias(current)}, not the expected ${tabletAliasString(req.expectedPrimary)}`);
        }
        let candidate: Tablet | undefined;
        if (req.newPrimary !== undefined) {
          candidate = byAlias(req.newPrimary);
          if (candidate === undefined) throw vtErr("INVALID_ARGUMENT", `tablet ${tabletAliasString(req.newPrimary)} is not in shard ${keyspace}/${shard}`);
        } else {
          candidate = await mostAdvanced(tablets.filter((t) =>
            t.type === TabletType.REPLICA && !tabletAliasEqual(t.alias, current.alias) &&
            (req.avoidPrimary === undefined || !tabletAliasEqual(t.alias, req.avoidPrimary)) &&
            (req.allowCrossCellPromotion || t.alias!.cell === current.alias!.cell)));
          if (candidate === undefined) throw vtErr("FAILED_PRECONDITION", `no valid candidate for the new primary of ${keyspace}/${shard}`);
        }
        if (tabletAliasEqual(candidate.alias, current.alias)) {
          events.push(event(`${alias(current)} is already the primary of ${keyspace}/${shard}`));
          return { keyspace, shard, promotedPrimary: current.alias!, events };
        }
        if (candidate.type !== TabletType.REPLICA) {
          throw vtErr("FAILED_PRECONDITION", `tablet ${alias(candidate)} is ${TabletType[candidate.type]}, only a REPLICA can be promoted`);
        }
        events.push(event(`demoting ${alias(current)}`));
        const demoted = await tm(current).demotePrimary({});
        const position = demoted.primaryStatus?.position ?? "";
        try {
          events.push(event(`waiting for ${alias(candidate)} to reach ${position}`));
          await tm(candidate).waitForPosition({ position }, { timeoutMs: waitMs + 2000 });
        } catch (e) {
          // Undo the demotion so the shard keeps its primary.
          await tm(current).setReadWrite({}).catch(() => undefined);
          await tm(current).changeType({ tabletType: TabletType.PRIMARY }).catch(() => undefined);
          throw vtErr("DEADLINE_EXCEEDED", `replica ${alias(candidate)} did not catch up with ${position} (${(e as Error).message}); demotion of ${alias(current)} undone`);
        }
        events.push(event(`promoting ${alias(candidate)}`));
        await tm(candidate).promoteReplica({});
        await publish(keyspace, shard, candidate, current);
        await reparentOthers(tablets, candidate, events, () => false);
        return { keyspace, shard, promotedPrimary: candidate.alias!, events };
      });
    },

    async emergencyReparentShard(req) {
      const { keyspace, shard } = req;
      if (keyspace === "" || shard === "") throw vtErr("INVALID_ARGUMENT", "keyspace and shard are required");
      const waitMs = durationMs(req.waitReplicasTimeout, DEFAULT_WAIT_MS);
      return lockShard(ts, keyspace, shard, "EmergencyReparentShard", async () => {
        const events: { value: string; time: { seconds: bigint; nanoseconds: number } }[] = [];
        const si = (await getShard(ts, keyspace, shard)).value;
        const tablets = await shardTablets(keyspace, shard);
        const oldAlias = si.primaryAlias !== undefined && si.primaryAlias.uid !== 0 ? si.primaryAlias : undefined;
        if (req.expectedPrimary !== undefined && oldAlias !== undefined && !tabletAliasEqual(req.expectedPrimary, oldAlias)) {
          throw vtErr("FAILED_PRECONDITION", `primary of ${keyspace}/${shard} is ${tabletAliasString(oldAlias)}, not the expected ${tabletAliasString(req.expectedPrimary)}`);
        }
        const ignored = (t: Tablet): boolean => req.ignoreReplicas.some((a) => tabletAliasEqual(a, t.alias));
        const oldPrimary = oldAlias !== undefined ? tablets.find((t) => tabletAliasEqual(t.alias, oldAlias)) : undefined;
        // Stop replication everywhere reachable (nothing more can arrive from the old primary) and read positions.
        const reached: { t: Tablet; position: string }[] = [];
        await Promise.all(tablets.filter((t) => !ignored(t) && !tabletAliasEqual(t.alias, oldAlias) && t.type !== TabletType.PRIMARY).map(async (t) => {
          try {
            await tm(t).stopReplication({}, { timeoutMs: waitMs });
            const { position } = await tm(t).primaryPosition({}, { timeoutMs: waitMs });
            reached.push({ t, position });
            events.push(event(`${alias(t)} stopped replication at ${position}`));
          } catch (e) {
            events.push(event(`${alias(t)} unreachable: ${(e as Error).message}`));
          }
        }));
        if (req.waitForAllTablets && reached.length < tablets.filter((t) => !ignored(t) && !tabletAliasEqual(t.alias, oldAlias)).length) {
          throw vtErr("FAILED_PRECONDITION", `not every tablet of ${keyspace}/${shard} could be reached (wait_for_all_tablets)`);
        }
        const best = reached.reduce<{ t: Tablet; position: string } | undefined>((acc, r) =>
          acc === undefined || !positionAtLeast(acc.position, r.position) ? r : acc, undefined);
        if (best === undefined) throw vtErr("FAILED_PRECONDITION", `no reachable replica in ${keyspace}/${shard} to promote`);
        let candidate = best;
        if (req.newPrimary !== undefined) {
          const chosen = reached.find((r) => tabletAliasEqual(r.t.alias, req.newPrimary));
          if (chosen === undefined) throw vtErr("FAILED_PRECONDITION", `tablet ${tabletAliasString(req.newPrimary)} is not a reachable replica of ${keyspace}/${shard}`);
          if (!positionAtLeast(chosen.position, best.position)) {
            throw vtErr("FAILED_PRECONDITION", `tablet ${alias(chosen.t)} (${chosen.position}) is behind ${alias(best.t)} (${best.position}); promote the most advanced replica`);
          }
          candidate = chosen;
        } else if (req.preventCrossCellPromotion && oldAlias !== undefined) {
          const sameCell = reached.filter((r) => r.t.alias!.cell === oldAlias.cell && positionAtLeast(r.position, best.position));
          if (sameCell[0] === undefined) throw vtErr("FAILED_PRECONDITION", `no up-to-date replica in cell ${oldAlias.cell}`);
          candidate = sameCell[0];
        }
        events.push(event(`promoting ${alias(candidate.t)}`));
        await tm(candidate.t).promoteReplica({}, { timeoutMs: waitMs });
        await publish(keyspace, shard, candidate.t, oldPrimary);
        await reparentOthers(tablets, candidate.t, events, (t) => ignored(t) || (oldAlias !== undefined && tabletAliasEqual(t.alias, oldAlias)));
        if (oldPrimary !== undefined) {
          // The old primary is usually down; if it answers, make it a replica too.
          try {
            await tm(oldPrimary).setReplicationSource({ parent: candidate.t.alias!, forceStartReplication: true, waitPosition: "" }, { timeoutMs: 3000 });
            events.push(event(`old primary ${alias(oldPrimary)} now replicates from ${alias(candidate.t)}`));
          } catch (e) {
            events.push(event(`old primary ${alias(oldPrimary)} not reparented: ${(e as Error).message}`));
          }
        }
        return { keyspace, shard, promotedPrimary: candidate.t.alias!, events };
      });
    },
  };

  /** The replica with the most advanced position (PrimaryPosition = gtid_binlog_pos with log_slave_updates). */
  async function mostAdvanced(candidates: Tablet[]): Promise<Tablet | undefined> {
    let best: { t: Tablet; position: string } | undefined;
    for (const t of candidates) {
      try {
        const { position } = await tm(t).primaryPosition({});
        if (best === undefined || !positionAtLeast(best.position, position)) best = { t, position };
      } catch {
        // unreachable replicas are not candidates
      }
    }
    return best?.t;
  }
}
