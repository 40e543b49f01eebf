import { execute as executePlan, type VCursor } from "@vt/engine";
import { SqlError } from "@vt/errors";
import type { Plan } from "@vt/plan";
import { plan as planStatement } from "@vt/planner";
import { directiveIsSet, normalize, parse, type Statement } from "@vt/sqlparser";
import { emptyResult, type BindVariable, type Result } from "@vt/sqltypes";
import { VtgateLookupCursor } from "./lookup-cursor.js";
import { PlanCache } from "./plan-cache.js";
import type { SrvKeyspaceResolver } from "./resolver.js";
import { ScatterConn } from "./scatter-conn.js";
import type { Session } from "./session.js";
import { SessionStateImpl } from "./session-state.js";
import { showKeyspaces, showVitessShards, showVitessTablets, showVitessTarget } from "./show-vitess.js";
import { splitStatements } from "./split-statements.js";
import type { SrvTopo } from "./srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import { parseTarget, targetString, type Target } from "./target.js";
import { TABLET_TYPE_NUMBER } from "./resolver.js";

/** Statements vtgate answers itself instead of planning. */
type VtgateStatement = Extract<Statement, { kind: "Use" | "Begin" | "Commit" | "Rollback" | "Savepoint" | "Show" | "VExplain" }>;
type CacheEntry = { readonly kind: "plan"; readonly plan: Plan } | { readonly kind: "stmt"; readonly stmt: VtgateStatement };

export interface ExecutorDeps {
  readonly srv: SrvTopo;
  readonly gateway: TabletGateway;
  readonly resolver: SrvKeyspaceResolver;
  /** Plan cache entries (Vitess bounds by memory; we bound by count). */
  readonly planCacheSize: number;
}

const isVtgateStatement = (s: Statement): s is VtgateStatement =>
  s.kind === "Use" || s.kind === "Begin" || s.kind === "Commit" || s.kind === "Rollback" || s.kind === "Savepoint" ||
  (s.kind === "Show" && s.show !== "other") || s.kind === "VExplain";

/**
 * vtgate's executor: normalizes each statement with the lexer, looks its plan up in the LRU plan cache (a hit never
 * runs the full parser), plans on a miss, and executes plans through the engine against the session's shards.
 * Transaction control, USE and the Vitess SHOW extensions are handled here.
 */
export class Executor {
  readonly planCache: PlanCache<CacheEntry>;

  constructor(private readonly deps: ExecutorDeps) {
    this.planCache = new PlanCache(deps.planCacheSize);
    deps.srv.onChange(() => this.planCache.clear());
  }

  /** Runs every statement of a (possibly multi-statement) text; stops at the first error (which is thrown). */
  async *executeMulti(session: Session, sql: string): AsyncIterable<Result> {
    for (const piece of splitStatements(sql)) yield await this.execute(session, piece);
  }

  /** Runs one statement. Errors are SqlErrors with MySQL errno/SQLSTATE. */
  async execute(session: Session, sql: string): Promise<Result> {
    const n = normalize(sql);
    if (n.firstKeyword === "") throw new SqlError(1065, "42000", "Query was empty", "INVALID_ARGUMENT");
    const key = `${targetString(session.target)}\u0000${n.normalized}`;
    const skipCache = directiveIsSet(n.directives, "SKIP_QUERY_PLAN_CACHE");
    let entry = skipCache ? undefined : this.planCache.get(key);
    if (entry === undefined) {
      entry = this.build(session, n.normalized);
      if (!skipCache) this.planCache.set(key, entry);
    }
    if (entry.kind === "stmt") return this.executeVtgate(session, entry.stmt);
    session.warnings = [];
    const r = await executePlan(entry.plan, this.vcursor(session), n.bindVars as Record<string, BindVariable>);
    this.afterExecute(session, entry.plan, r);
    return r;
  }

  /** Parses and plans (cache miss). */
  private build(session: Session, normalized: string): CacheEntry {
    const stmt = parse(normalized);
    if (isVtgateStatement(stmt)) return { kind: "stmt", stmt };
    const t = session.target;
    const destination = t.shard !== undefined ? { kind: "Shards" as const, shards: [t.shard] }
      : t.keyRange !== undefined ? { kind: "KeyRange" as const, range: t.keyRange } : undefined;
    const plan = planStatement(stmt, this.deps.srv.vschema, {
      ...(t.keyspace ? { keyspace: t.keyspace } : {}), tabletType: t.tabletType, ...(destination ? { destination } : {}),
    }, normalized);
    return { kind: "plan", plan };
  }

  private afterExecute(session: Session, plan: Plan, r: Result): void {
    const dml = plan.statementType === "INSERT" || plan.statementType === "UPDATE" || plan.statementType === "DELETE";
    session.rowCount = dml ? r.rowsAffected : -1n;
    if (r.insertId > 0n) session.lastInsertId = r.insertId;
  }

  /** The engine's view of vtgate for one statement of this session. */
  vcursor(session: Session): VCursor {
    return {
      vschema: this.deps.srv.vschema,
      tabletType: session.target.tabletType,
      shards: new ScatterConn(this.deps.gateway, session),
      resolver: this.deps.resolver,
      session: new SessionStateImpl(session, () => this.commit(session)),
      ...this.lookupCursor(session),
    };
  }

  /** Lookup vindexes query their backing tables through vtgate itself (lookup-cursor.ts). */
  private lookupCursor(session: Session): Pick<VCursor, "lookup" | "transaction"> {
    const lookup = new VtgateLookupCursor(session, { vcursor: (s) => this.vcursor(s), commit: (s) => this.commit(s), rollback: (s) => this.rollback(s) });
    return { lookup, transaction: (fn) => lookup.statementTransaction(fn) };
  }

  private async executeVtgate(session: Session, stmt: VtgateStatement): Promise<Result> {
    switch (stmt.kind) {
      case "Use": this.use(session, stmt.target); return emptyResult();
      case "Begin":
        if (session.inTransaction) await this.commit(session);
        session.inTransaction = true;
        return emptyResult();
      case "Commit": await this.commit(session); return emptyResult();
      case "Rollback":
        if (stmt.savepoint !== undefined) return this.onShardSessions(session, `rollback to savepoint \`${stmt.savepoint}\``);
        await this.rollback(session);
        return emptyResult();
      case "Savepoint":
        return this.onShardSessions(session, `${stmt.release ? "release savepoint" : "savepoint"} \`${stmt.name}\``);
      case "Show":
        switch (stmt.show) {
          case "vitess_shards": return showVitessShards(this.deps.srv);
          case "vitess_tablets": return showVitessTablets(this.deps.gateway);
          case "keyspaces": case "vschema_keyspaces": return showKeyspaces(this.deps.srv);
          case "vitess_target": return showVitessTarget(targetString(session.target));
          default: throw new SqlError(1235, "42000", `VT12001: unsupported: SHOW ${stmt.show}`, "UNIMPLEMENTED");
        }
      case "VExplain":
        throw new SqlError(1235, "42000", "VT12001: unsupported: VEXPLAIN", "UNIMPLEMENTED");
    }
  }

  /** USE / COM_INIT_DB: validates the keyspace (1049 if unknown) and sets the session target. */
  use(session: Session, text: string): void {
    const t: Target = parseTarget(text);
    if (t.keyspace !== "" && !this.keyspaceExists(t.keyspace)) {
      throw new SqlError(1049, "42000", `Unknown database '${text}'`, "NOT_FOUND");
    }
    session.target = t;
  }

  keyspaceExists(ks: string): boolean {
    return this.deps.srv.vschema.keyspaces.has(ks) || this.deps.srv.srvKeyspace(ks) !== undefined;
  }

  /** Commits every shard transaction in order (MULTI mode: best effort, as Vitess), then forgets them. */
  async commit(session: Session): Promise<void> {
    const sessions = session.shardSessions;
    session.resetTransaction();
    let first: SqlError | undefined;
    for (const ss of sessions) {
      const th = this.deps.gateway.all().find((t) => t.alias === ss.tabletAlias);
      try {
        if (!th) throw new SqlError(1105, "HY000", `transaction ${ss.transactionId}: tablet ${ss.tabletAlias} is gone`, "ABORTED");
        await th.conn.commit({ keyspace: ss.keyspace, shard: ss.shard, tabletType: ss.tabletType }, ss.transactionId);
      } catch (e) {
        first ??= SqlError.from(e);
      }
    }
    if (first) throw first;
  }

  /** Rolls back every shard transaction; errors are ignored (the tablet's killer reaps leftovers). */
  async rollback(session: Session): Promise<void> {
    const sessions = session.shardSessions;
    session.resetTransaction();
    await Promise.all(sessions.map(async (ss) => {
      const th = this.deps.gateway.all().find((t) => t.alias === ss.tabletAlias);
      await th?.conn.rollback({ keyspace: ss.keyspace, shard: ss.shard, tabletType: ss.tabletType }, ss.transactionId).catch(() => undefined);
    }));
  }

  private async onShardSessions(session: Session, sql: string): Promise<Result> {
    for (const ss of session.shardSessions) {
      const th = this.deps.gateway.all().find((t) => t.alias === ss.tabletAlias);
      if (th) await th.conn.execute({ keyspace: ss.keyspace, shard: ss.shard, tabletType: ss.tabletType }, sql, {}, ss.transactionId);
    }
    return emptyResult();
  }
}

function cloneForAutocommit(s: Session): Session {
  const c = Object.create(Object.getPrototypeOf(s) as object) as Session;
  Object.assign(c, s, { inTransaction: false, autocommit: true, shardSessions: [] });
  return c;
}

export { TABLET_TYPE_NUMBER };
