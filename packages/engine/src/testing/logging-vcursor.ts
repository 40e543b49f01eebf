// A fake VCursor for engine unit tests (and @vt/testkit): every role call is recorded as a log line, shard results
// come from a callback. Shards are resolved against fixed shard lists with @vt/key's resolveDestination.
import { SqlError } from "@vt/errors";
import { describeDestination, parseShardName, resolveDestination, type Destination } from "@vt/key";
import { bindVarSQL } from "@vt/sqlparser";
import { emptyResult, type Result, type Value } from "@vt/sqltypes";
import type { VSchema } from "@vt/vindexes";
import type {
  BindVars, BoundQuery, DestinationResolver, ExecOpts, ResolvedShard, SessionState, ShardExecutor, ShardOutcome, VCursor, Warning,
} from "../vcursor.js";

/** Shard results for a query: a Result, an Error (reported as that shard's failure), or undefined (empty result). */
export type FakeShardResults = (rs: ResolvedShard, query: BoundQuery) => Result | Error | undefined;

const fmtBindVars = (bv: BindVars): string =>
  `{${Object.keys(bv).sort().map((k) => `${k}: ${bindVarSQL(bv[k]!)}`).join(", ")}}`;

/** The logging fake: implements every VCursor role and appends lines to `log`. */
export class LoggingVCursor implements VCursor, ShardExecutor, DestinationResolver, SessionState {
  readonly log: string[] = [];
  readonly warnings: Warning[] = [];
  readonly variables = new Map<string, Value | string>();
  lastInsertId = 0n;
  inTx = false;
  readonly shards: ShardExecutor = this;
  readonly resolver: DestinationResolver = this;
  readonly session: SessionState = this;

  constructor(
    readonly vschema: VSchema,
    private readonly shardMap: Readonly<Record<string, readonly string[]>>,
    private readonly results: FakeShardResults = () => undefined,
    readonly tabletType = "PRIMARY",
  ) {}

  async executeMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> {
    const parts = rss.map((rs, i) => `${rs.keyspace}.${rs.shard}: ${queries[i]!.sql} ${fmtBindVars(queries[i]!.bindVars)}`);
    this.log.push(`ExecuteMultiShard ${parts.join(" ")}${opts.isDML ? ` dml autocommit=${opts.canAutocommit}` : ""}`);
    return rss.map((rs, i) => {
      const r = this.results(rs, queries[i]!);
      if (r instanceof Error) return { ok: false, error: SqlError.from(r) };
      return { ok: true, result: r ?? emptyResult() };
    });
  }

  async *streamMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result> {
    const outcomes = await this.executeMultiShard(rss, queries, opts);
    this.log[this.log.length - 1] = this.log[this.log.length - 1]!.replace("ExecuteMultiShard", "StreamExecuteMulti");
    for (const o of outcomes) {
      if (!o.ok) throw o.error;
      yield o.result;
    }
  }

  async resolve(keyspace: string, tabletType: string, destinations: readonly Destination[]): Promise<ResolvedShard[][]> {
    this.log.push(`ResolveDestinations ${keyspace} ${destinations.map(describeDestination).join(",")}`);
    const names = this.shardMap[keyspace];
    if (!names) throw new SqlError(1049, "42000", `Unknown database '${keyspace}'`, "NOT_FOUND");
    const refs = names.map((name) => ({ name, keyRange: name === "0" || name === "-" ? undefined : parseShardName(name) }));
    return destinations.map((d) => resolveDestination(d, refs, { pickAny: () => 0 }).map((shard) => ({ keyspace, shard, tabletType })));
  }

  inTransaction(): boolean { return this.inTx; }
  recordWarning(w: Warning): void { this.warnings.push(w); }
  setLastInsertId(id: bigint): void { this.lastInsertId = id; }
  setVariable(scope: "user" | "session" | "global", name: string, value: Value | undefined, expr: string): void {
    this.log.push(`SetVariable ${scope}.${name} = ${expr}`);
    this.variables.set(`${scope}.${name}`, value ?? expr);
  }
}
