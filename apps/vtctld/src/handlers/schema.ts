import { TabletType } from "@vt/proto/topodata";
import { findAllShardsInKeyspace, getKeyspace, getTablet, lockKeyspace, tabletAliasString } from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";
import { schemaFromDba } from "../schema-from-dba.js";
import { findTablets, shardPrimary } from "./tablets.js";

/** True for a gRPC UNIMPLEMENTED answer (the tablet lacks that TabletManager RPC). */
function isUnimplemented(e: unknown): boolean {
  const x = e as { code?: unknown; vtCode?: unknown; message?: unknown };
  return x.code === 12 || x.vtCode === "UNIMPLEMENTED" || /not implemented|UNIMPLEMENTED/i.test(String(x.message));
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Splits SQL text into statements on `;` outside quotes and comments. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote !== null) {
      cur += ch;
      if (ch === "\\" && quote !== "`") cur += sql[++i] ?? "";
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
      cur += ch;
    } else if (ch === "-" && sql[i + 1] === "-" && /\s/.test(sql[i + 2] ?? " ")) {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (ch === "#") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (ch === ";") {
      if (cur.trim() !== "") out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim() !== "") out.push(cur.trim());
  return out;
}

/** ApplySchema (direct DDL on each shard's primary under the keyspace lock), GetSchema, ReloadSchemaKeyspace. */
export function schemaHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts, tmc } = deps;
  return {
    async applySchema(req) {
      const strategy = req.ddlStrategy || "direct";
      if (strategy !== "direct") throw vtErr("UNIMPLEMENTED", `ddl strategy ${strategy} is not supported (only direct)`);
      const stmts = req.sql.flatMap(splitStatements);
      if (stmts.length === 0) throw vtErr("INVALID_ARGUMENT", "no SQL statements to apply");
      await getKeyspace(ts, req.keyspace);
      return lockKeyspace(ts, req.keyspace, "ApplySchema", async () => {
        const shards = await findAllShardsInKeyspace(ts, req.keyspace);
        if (shards.length === 0) throw vtErr("FAILED_PRECONDITION", `keyspace ${req.keyspace} has no shards`);
        const rowsAffectedByShard: Record<string, bigint> = {};
        const failures: string[] = [];
        await Promise.all(shards.map(async (s) => {
          try {
            const primary = await shardPrimary(deps, req.keyspace, s.shardName);
            let rows = 0n;
            for (const q of stmts) {
              const r = await tmc.forTablet(primary).executeFetchAsDba({
                query: utf8(q), dbName: primary.dbNameOverride || primary.keyspace, maxRows: 10000n, reloadSchema: true,
              });
              rows += r.result?.rowsAffected ?? 0n;
            }
            rowsAffectedByShard[s.shardName] = rows;
          } catch (e) {
            failures.push(`${req.keyspace}/${s.shardName}: ${(e as Error).message}`);
          }
        }));
        if (failures.length > 0) {
          failures.sort();
          throw vtErr("UNKNOWN", `schema change failed on ${failures.length} of ${shards.length} shards:\n${failures.join("\n")}`);
        }
        return { uuidList: [], rowsAffectedByShard };
      });
    },
    async getSchema(req) {
      if (req.tabletAlias === undefined) throw vtErr("INVALID_ARGUMENT", "tablet_alias is required");
      const t = (await getTablet(ts, req.tabletAlias)).value;
      const opts = {
        tables: req.tables, excludeTables: req.excludeTables, includeViews: req.includeViews,
        tableSchemaOnly: req.tableSchemaOnly || req.tableNamesOnly,
      };
      const c = tmc.forTablet(t);
      let schema;
      try {
        schema = (await c.getSchema(opts)).schemaDefinition;
      } catch (e) {
        if (!isUnimplemented(e)) throw e;
        schema = await schemaFromDba(c, t, opts);
      }
      if (schema !== undefined && req.tableNamesOnly) {
        for (const td of schema.tableDefinitions) {
          td.schema = "";
          td.columns = [];
          td.primaryKeyColumns = [];
          td.fields = [];
        }
      }
      return schema ? { schema } : {};
    },
    async reloadSchemaKeyspace(req) {
      await getKeyspace(ts, req.keyspace);
      const tablets = (await findTablets(deps, { keyspace: req.keyspace, shard: "", cells: [], tabletAliases: [], tabletType: TabletType.UNKNOWN }))
        .filter((t) => req.includePrimary || t.type !== TabletType.PRIMARY);
      const events: { value: string }[] = [];
      for (const t of tablets) {
        const alias = tabletAliasString(t.alias!);
        try {
          await tmc.forTablet(t).reloadSchema({ waitPosition: req.waitPosition });
        } catch (e) {
          if (isUnimplemented(e)) continue;
          events.push({ value: `Failed to reload schema on replica tablet ${alias} in ${req.keyspace}/${t.shard}: ${(e as Error).message}` });
        }
      }
      return { events };
    },
  };
}
