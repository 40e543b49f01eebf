import {
  execCursor, execute as executePlan, mergeResults, recordingShards, resolveRouteNow, statementSettingsPrefix, stream as streamPlan, vexplainAllResult, vexplainPlanResult,
  vexplainQueriesResult, withScatterErrorsAsWarnings, withStatementSettings, type ExplainedQuery, type VCursor,
} from "@vt/engine";
import { SqlError } from "@vt/errors";
import { describe, type Plan, type PlanNode, type PrimitiveDescription, type Route } from "@vt/plan";
import { plan as planStatement } from "@vt/planner";
import { directiveIsSet, NO_DIRECTIVES, normalize, parse, type Directives, type Statement } from "@vt/sqlparser";
import { emptyResult, makeField, Type, type BindVariable, type Result, type Value } from "@vt/sqltypes";
import { VtgateLookupCursor } from "./lookup-cursor.js";
import { PlanCache } from "./plan-cache.js";
import type { SrvKeyspaceResolver } from "./resolver.js";
import { ScatterConn } from "./scatter-conn.js";
import type { Session } from "./session.js";
import { SessionStateImpl } from "./session-state.js";
import { matchSessionCommand, type SessionCommand } from "./session-commands.js";
import { rewriteSessionFunctions, sessionFunctionBindVars } from "./session-functions.js";
import type { SessionRegistry } from "./session-registry.js";
import { StreamingShardExecutor, type StatementSettings } from "./streaming-shard-executor.js";
import { countParams, substituteParams } from "./substitute-params.js";
import { showKeyspaces, showVitessShards, showVitessTablets, showVitessTarget, showVSchemaTables } from "./show-vitess.js";
import { splitStatements } from "./split-statements.js";
import type { SrvTopo } from "./srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import { TxConn, type TransactionMode } from "./tx-conn.js";
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
  /** Default per-query timeout in ms (0: none); the QUERY_TIMEOUT_MS comment directive overrides it per query. */
  readonly queryTimeoutMs?: number;
  /** --max_memory_rows (default 300000): rows an in-memory operator may hold; the IGNORE_MAX_MEMORY_ROWS directive lifts it. */
  readonly maxMemoryRows?: number;
  /** Stream plain scatter SELECTs through tablet StreamExecute (default true). */
  readonly streamScatter?: boolean;
  /** Open sessions by connection id (KILL). */
  readonly sessions?: SessionRegistry;
  /** --transaction_mode (default MULTI). */
  readonly transactionMode?: TransactionMode;
  /** --no_scatter: plans with a Scatter route fail unless the statement carries /*vt+ ALLOW_SCATTER *\/. */
  readonly noScatter?: boolean;
  /** 2PC crash test hooks (tx-conn.ts; env VTGATE_TWOPC_TEST_HOOKS=1). */
  readonly twopcTestHooks?: boolean;
}

/** Comment directives that change how one statement executes (not how it is planned). */
export interface StatementDirectives {
  /** IGNORE_MAX_MEMORY_ROWS: no --max_memory_rows bound. */
  readonly ignoreMaxMemoryRows?: boolean;
  /** SCATTER_ERRORS_AS_WARNINGS (SELECT only): failing shards become warnings when others answer. */
  readonly scatterErrorsAsWarnings?: boolean;
  /** MULTI_SHARD_AUTOCOMMIT: a multi-shard DML outside a transaction autocommits on each shard (not atomic). */
  readonly multiShardAutocommit?: boolean;
}

/** A statement whose rows arrive as a stream (first message carries the fields). */
export interface ResultStream {
  readonly stream: AsyncIterable<Result>;
}

/** True for the streaming form of a statement's outcome. */
export const isResultStream = (r: Result | ResultStream): r is ResultStream => "stream" in r;

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
  /** Per session: the reusable controller and vcursor of hot-path statements (hotCursor). */
  private readonly hot = new WeakMap<Session, HotStatement>();
  /** targetString of each session target (targets are replaced, never changed). */
  private readonly targetKeys = new WeakMap<Target, string>();
  /** The transaction coordinator (commit/rollback per transaction_mode, savepoints, shard begin options). */
  readonly txConn: TxConn;

  constructor(private readonly deps: ExecutorDeps) {
    this.planCache = new PlanCache(deps.planCacheSize);
    this.txConn = new TxConn({ gateway: deps.gateway, ...(deps.transactionMode ? { defaultMode: deps.transactionMode } : {}),
      testHooks: deps.twopcTestHooks === true });
    deps.srv.onChange(() => this.planCache.clear());
  }

  /** Runs every statement of a (possibly multi-statement) text; stops at the first error (which is thrown). */
  async *executeMulti(session: Session, sql: string): AsyncIterable<Result> {
    for (const piece of splitStatements(sql)) yield await this.execute(session, piece);
  }

  /** Runs one statement and returns its whole result. Errors are SqlErrors with MySQL errno/SQLSTATE. */
  async execute(session: Session, sql: string): Promise<Result> {
    const r = await this.run(session, sql, false);
    if (!isResultStream(r)) return r;
    return collect(r.stream);
  }

  /**
   * Runs one statement. With `allowStream`, a SELECT that may return many rows (a plain scatter route, or any
   * SELECT under `SET workload = olap`) comes back as a stream read at the caller's pace; everything else (point
   * queries, DML, transactions) takes the execute path and comes back whole. The per-query timeout
   * (`/*vt+ QUERY_TIMEOUT_MS=n *\/` or the default) and KILL QUERY abort it with 3024 / 1317.
   */
  run(session: Session, sql: string, allowStream: boolean): Promise<Result | ResultStream> {
    try {
      return this.start(session, sql, allowStream, undefined)!;
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  /**
   * run() in callback form (the MySQL handler): exactly one of `ok` / `fail` is called, never synchronously from a
   * throw of theirs. A point query that takes the direct path reaches `ok` from the tablet call's one reaction,
   * with no promise of its own.
   */
  runWith(session: Session, sql: string, allowStream: boolean, ok: (r: Result | ResultStream) => void, fail: (e: unknown) => void): void {
    let p: Promise<Result | ResultStream> | undefined;
    try {
      p = this.start(session, sql, allowStream, { ok, fail });
    } catch (e) {
      fail(e);
      return;
    }
    if (p !== undefined) p.then(ok, fail);
  }

  /**
   * run() without its own async frame. Given `to`, a statement taking the direct path reports there and start
   * returns undefined; otherwise it returns the statement's promise.
   */
  private start(session: Session, sql: string, allowStream: boolean, to: DirectSink | undefined): Promise<Result | ResultStream> | undefined {
    const n = normalize(sql);
    if (n.firstKeyword === "") throw new SqlError(1065, "42000", "Query was empty", "INVALID_ARGUMENT");
    const command = matchSessionCommand(sql, n.firstKeyword);
    if (command !== undefined) return this.sessionCommand(session, command, allowStream);
    if (n.firstKeyword === "vexplain" || n.firstKeyword === "explain") {
      const vx = parse(sql);
      if (vx.kind === "VExplain" && vx.statement.kind === "Other") return this.vexplain(session, vx.type, vx.statement.text);
    }
    let normalized = n.normalized;
    let bindVars = n.bindVars as Record<string, BindVariable>;
    if ((n.firstKeyword === "select" || n.firstKeyword === "(") && normalized.includes("(")) {
      const fn = rewriteSessionFunctions(normalized);
      if (fn !== undefined) {
        normalized = fn.sql;
        bindVars = { ...bindVars, ...sessionFunctionBindVars(fn.needs, session) };
      }
    }
    // Most statements carry no directives: one comparison instead of a (megamorphic) lookup per directive.
    const d = n.directives === NO_DIRECTIVES ? undefined : n.directives;
    const key = `${this.targetKey(session.target)}\u0000${normalized}`;
    const skipCache = normalized.length > MAX_CACHED_SQL || isSet(d, "SKIP_QUERY_PLAN_CACHE");
    let entry = skipCache ? undefined : this.planCache.get(key);
    if (entry === undefined) {
      entry = this.build(session, normalized);
      if (!skipCache) this.planCache.set(key, entry);
    }
    if (entry.kind === "stmt") return this.executeVtgate(session, entry.stmt);
    if (session.warnings.length > 0) session.warnings = [];
    const plan = entry.plan;
    if (this.deps.noScatter === true && !isSet(d, "ALLOW_SCATTER") && hasScatterRoute(describe(plan.instructions))) {
      throw new SqlError(1105, "HY000", "plan includes scatter, which is disallowed using the `no_scatter` command line argument", "FAILED_PRECONDITION");
    }
    const scatterWarnings = plan.statementType === "SELECT" && isSet(d, "SCATTER_ERRORS_AS_WARNINGS");
    const timeoutMs = queryTimeout(d?.["QUERY_TIMEOUT_MS"], this.deps.queryTimeoutMs ?? 0);
    const ignoreMaxRows = isSet(d, "IGNORE_MAX_MEMORY_ROWS");
    const streaming = allowStream && !scatterWarnings && this.shouldStream(session, plan);
    const multiShardAutocommit = isSet(d, "MULTI_SHARD_AUTOCOMMIT");
    if (!streaming && !scatterWarnings && !multiShardAutocommit && timeoutMs === 0 && plan.instructions.kind === "Route") {
      const h = this.hotCursor(session, ignoreMaxRows);
      const route = plan.instructions;
      if (to !== undefined) return this.runDirect(session, plan, route, h, bindVars, to) ? undefined : this.runHot(session, plan, h, bindVars);
      let taken = false;
      const direct = new Promise<Result>((resolve, reject) => {
        taken = this.runDirect(session, plan, route, h, bindVars, { ok: resolve as (r: Result | ResultStream) => void, fail: reject });
      });
      return taken ? direct : this.runHot(session, plan, h, bindVars);
    }
    return this.runPlan(session, plan, bindVars, timeoutMs, streaming,
      { ignoreMaxMemoryRows: ignoreMaxRows, scatterErrorsAsWarnings: scatterWarnings, multiShardAutocommit });
  }

  /** The general path: a statement controller (timeout, KILL QUERY), the engine, and the stream when asked. */
  private async runPlan(session: Session, plan: Plan, bindVars: Record<string, BindVariable>, timeoutMs: number,
    streaming: boolean, d: StatementDirectives): Promise<Result | ResultStream> {
    const ctl = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => ctl.abort(timeoutError()), timeoutMs) : undefined;
    session.running = ctl;
    const finish = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      if (session.running === ctl) session.running = null;
    };
    const vc = this.vcursor(session, { ...(timeoutMs > 0 ? { timeoutMs } : {}) }, ctl.signal, d);
    if (streaming) {
      return { stream: this.streamStatement(session, plan, vc, bindVars, ctl.signal, timeoutMs, finish) };
    }
    try {
      const r = await abortable(executePlan(plan, vc, bindVars), ctl.signal);
      this.afterExecute(session, plan, r);
      return r;
    } catch (e) {
      throw mapTimeout(e, timeoutMs);
    } finally {
      finish();
    }
  }

  /**
   * A plain Route without timeout (the point-query hot path): the session's reused controller and cursor, and no
   * per-statement listener: KILL QUERY aborts the controller, whose one listener rejects the running statement.
   */
  private async runHot(session: Session, plan: Plan, h: HotStatement, bindVars: Record<string, BindVariable>): Promise<Result> {
    session.running = h.ctl;
    try {
      const r = await h.race(executePlan(plan, h.vc, bindVars));
      this.afterExecute(session, plan, r);
      return r;
    } catch (e) {
      throw SqlError.from(e);
    } finally {
      if (session.running === h.ctl) session.running = null;
    }
  }

  /**
   * The point query straight to its tablet: an Equal/EqualUnique route whose vindex computes, resolved to one shard,
   * outside a transaction and without statement settings. It skips the engine, ScatterConn and their async frames
   * but gives the same result, errors and side effects (afterExecute, KILL QUERY, a lost tablet marked unhealthy) as
   * runHot. It reports to `to` and returns true, or returns false at once (nothing done) when the statement needs
   * that path.
   */
  private runDirect(session: Session, plan: Plan, route: Route, h: HotStatement, bindVars: Record<string, BindVariable>, to: DirectSink): boolean {
    if (route.truncateColumnCount !== undefined || session.inTransaction || !session.autocommit || h.prefix !== "") return false;
    let routed;
    try {
      routed = resolveRouteNow(route, h.vc, bindVars);
    } catch (e) {
      to.fail(SqlError.from(e));
      return true;
    }
    if (routed === undefined || routed.rss.length !== 1) return false;
    const rs = routed.rss[0]!;
    const tabletType = TABLET_TYPE_NUMBER[rs.tabletType] ?? 1;
    const gw = this.deps.gateway;
    let th;
    try {
      th = gw.pick(rs.keyspace, rs.shard, tabletType);
    } catch (e) {
      to.fail(SqlError.from(e));
      return true;
    }
    const alias = th.alias;
    const ctl = h.ctl;
    session.running = ctl;
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      if (session.running === ctl) session.running = null;
      to.fail(SqlError.from(e));
    };
    const answered = (r: Result): void => {
      if (settled) return;
      settled = true;
      if (session.running === ctl) session.running = null;
      const out = r.info === "" ? r : mergeResults([r]); // as the engine's route merges one shard's answer: info dropped
      this.afterExecute(session, plan, out);
      to.ok(out);
    };
    const failed = (e: unknown): void => {
      const err = SqlError.from(e);
      if (err.vtCode === "UNAVAILABLE") gw.markUnhealthy(alias, err.message);
      fail(err);
    };
    h.watch(fail);
    const target = { keyspace: rs.keyspace, shard: rs.shard, tabletType };
    const bv = routed.bindVars[0]!;
    try {
      // The callback form when the tablet connection has one (the mux port): no promise between frame and client.
      if (th.conn.executeWith !== undefined) th.conn.executeWith(target, route.query, bv, ctl.signal, answered, failed);
      else th.conn.execute(target, route.query, bv, 0n, undefined, ctl.signal).then(answered, failed);
    } catch (e) {
      fail(e);
    }
    return true;
  }

  private targetKey(t: Target): string {
    let k = this.targetKeys.get(t);
    if (k === undefined) {
      k = targetString(t);
      this.targetKeys.set(t, k);
    }
    return k;
  }

  /** A stream for one statement; `finish` runs when it ends however it ends. */
  private async *streamStatement(session: Session, plan: Plan, vc: VCursor, bindVars: Record<string, BindVariable>,
    signal: AbortSignal, timeoutMs: number, finish: () => void): AsyncIterable<Result> {
    let rows = 0n;
    try {
      for await (const r of streamPlan(plan, vc, bindVars)) {
        if (signal.aborted) throw signal.reason instanceof SqlError ? signal.reason : SqlError.from(signal.reason);
        rows += BigInt(r.rows.length);
        yield r;
      }
      session.rowCount = -1n;
      session.foundRows = rows;
    } catch (e) {
      throw signal.aborted && signal.reason instanceof SqlError ? signal.reason : mapTimeout(e, timeoutMs);
    } finally {
      finish();
    }
  }

  /** Streaming pays off for SELECTs that may return many rows: a plain scatter route, or any SELECT in OLAP mode. */
  private shouldStream(session: Session, plan: Plan): boolean {
    if (plan.statementType !== "SELECT" || session.inTransaction || !session.autocommit) return false;
    const workload = session.systemVars.get("workload");
    if (workload !== undefined && /olap/i.test(workload)) return true;
    if (this.deps.streamScatter === false) return false;
    const root: PlanNode = plan.instructions;
    return root.kind === "Route" && root.opcode === "Scatter" && root.orderBy === undefined && root.truncateColumnCount === undefined;
  }

  /**
   * Result columns and parameter count of a statement prepared with `?` placeholders (COM_STMT_PREPARE). A
   * SELECT runs once with NULL parameters in an autocommit copy of the session (no rows match; the fields come
   * back from the shards, or from the field query); other statements report no columns.
   */
  async prepare(session: Session, sql: string): Promise<{ paramCount: number; fields: Result["fields"] }> {
    const paramCount = countParams(sql);
    const first = normalize(sql).firstKeyword;
    if (first !== "select" && first !== "(" && first !== "with" && first !== "show") return { paramCount, fields: [] };
    const nulls: Value[] = Array.from({ length: paramCount }, () => ({ type: Type.NULL_TYPE, raw: null }));
    const probe = cloneForAutocommit(session);
    probe.warnings = [];
    const r = await this.execute(probe, substituteParams(sql, nulls));
    return { paramCount, fields: r.fields };
  }

  private async sessionCommand(session: Session, c: SessionCommand, allowStream: boolean): Promise<Result | ResultStream> {
    switch (c.kind) {
      case "SetNames":
        for (const v of ["character_set_client", "character_set_connection", "character_set_results"]) session.systemVars.set(v, `'${c.charset}'`);
        if (c.collation !== undefined) session.systemVars.set("collation_connection", `'${c.collation}'`);
        return emptyResult();
      case "SetTransaction":
        if (c.scope === "global") throw new SqlError(1227, "42000", "Access denied; you need (at least one of) the SUPER privilege(s) for this operation", "PERMISSION_DENIED");
        if (c.scope === "session" && c.isolation !== undefined) session.txIsolation = c.isolation.replace(/ /g, "-");
        if (c.scope === "next") this.txConn.setNextTransaction(session, c.isolation?.replace(/ /g, "-"), c.readOnly);
        return emptyResult();
      case "Prepare": {
        let text = c.text;
        if (c.fromVar !== undefined) {
          const v = session.userVars.get(c.fromVar);
          text = v?.raw ? new TextDecoder().decode(v.raw) : undefined;
          if (text === undefined) throw new SqlError(1064, "42000", "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'NULL' at line 1", "INVALID_ARGUMENT");
        }
        session.sqlPrepared.set(c.name, text!);
        return { ...emptyResult(), info: "Statement prepared" };
      }
      case "Execute": {
        const text = session.sqlPrepared.get(c.name);
        if (text === undefined) throw unknownPrepared(c.name, "EXECUTE");
        const want = countParams(text);
        if (want !== c.using.length) throw new SqlError(1210, "HY000", "Incorrect arguments to EXECUTE", "INVALID_ARGUMENT");
        const params = c.using.map((u): Value => session.userVars.get(u) ?? { type: Type.NULL_TYPE, raw: null });
        return this.run(session, substituteParams(text, params), allowStream);
      }
      case "Deallocate":
        if (!session.sqlPrepared.delete(c.name)) throw unknownPrepared(c.name, "DEALLOCATE PREPARE");
        return emptyResult();
      case "Kill": {
        const target = this.deps.sessions?.get(c.id);
        if (target === undefined) throw new SqlError(1094, "HY000", `Unknown thread id: ${c.id}`, "NOT_FOUND");
        if (c.query) target.session.running?.abort(killedError());
        else target.kill();
        return emptyResult();
      }
      case "ShowWarnings": {
        const list = c.errorsOnly ? session.warnings.filter((w) => w.level === "Error") : session.warnings;
        if (c.count) {
          return { ...emptyResult(), fields: [makeField(`@@session.${c.errorsOnly ? "error" : "warning"}_count`, Type.INT64)], rows: [[enc.encode(String(list.length))]] };
        }
        return {
          ...emptyResult(),
          fields: [makeField("Level", Type.VARCHAR, { charset: 45, columnLength: 28 }), makeField("Code", Type.UINT32, { columnLength: 4 }),
            makeField("Message", Type.VARCHAR, { charset: 45, columnLength: 2048 })],
          rows: list.map((w) => [enc.encode(w.level), enc.encode(String(w.code)), enc.encode(w.message)]),
        };
      }
    }
  }

  /** VEXPLAIN PLAN|QUERIES|ALL and EXPLAIN FORMAT=vitess: plans `inner`; QUERIES/ALL also run it and list the shard queries. */
  private async vexplain(session: Session, type: "plan" | "queries" | "all", inner: string): Promise<Result> {
    const n = normalize(inner);
    const entry = this.build(session, n.normalized);
    if (entry.kind !== "plan") throw new SqlError(1235, "42000", "VT12001: unsupported: VEXPLAIN of a statement vtgate runs itself", "UNIMPLEMENTED");
    if (type === "plan") return vexplainPlanResult(entry.plan);
    const log: ExplainedQuery[] = [];
    const vc = this.vcursor(session);
    const r = await executePlan(entry.plan, { ...vc, shards: recordingShards(vc.shards, log) }, n.bindVars as Record<string, BindVariable>);
    this.afterExecute(session, entry.plan, r);
    return type === "queries" ? vexplainQueriesResult(log) : vexplainAllResult(entry.plan, log);
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
    if (plan.statementType === "SELECT" && plan.instructions.kind !== "SQLCalcFoundRows") session.foundRows = BigInt(r.rows.length);
    if (r.insertId > 0n) session.lastInsertId = r.insertId;
  }

  /**
   * The controller and vcursor of a plain Route statement without timeout (the point-query hot path), reused across
   * the session's statements while nothing they depend on changed and no statement was aborted. Listeners on the
   * signal are per call and removed when the call settles (the tablet mux client), so reuse leaves none behind.
   */
  private hotCursor(session: Session, ignoreMaxRows: boolean): HotStatement {
    const prefix = statementSettingsPrefix(session.systemVars);
    let h = this.hot.get(session);
    if (h === undefined || h.ctl.signal.aborted || h.vc.vschema !== this.deps.srv.vschema || h.vc.tabletType !== session.target.tabletType
      || h.prefix !== prefix || h.ignoreMaxRows !== ignoreMaxRows) {
      const ctl = new AbortController();
      h = new HotStatement(ctl, execCursor(this.vcursor(session, {}, ctl.signal, { ignoreMaxMemoryRows: ignoreMaxRows })), prefix, ignoreMaxRows);
      this.hot.set(session, h);
    }
    return h;
  }

  /** The engine's view of vtgate for one statement of this session. */
  vcursor(session: Session, settings: StatementSettings = {}, signal?: AbortSignal, d: StatementDirectives = {}): VCursor {
    const state = new SessionStateImpl(session, () => this.commit(session));
    const conn = new ScatterConn(this.deps.gateway, session, this.txConn, { multiShardAutocommit: d.multiShardAutocommit === true });
    const shards = withStatementSettings(new StreamingShardExecutor(conn, this.deps.gateway, session, settings),
      statementSettingsPrefix(session.systemVars));
    return {
      vschema: this.deps.srv.vschema,
      tabletType: session.target.tabletType,
      shards: d.scatterErrorsAsWarnings === true ? withScatterErrorsAsWarnings(shards, state) : shards,
      ...(signal ? { signal } : {}),
      ...(d.ignoreMaxMemoryRows === true ? {} : { maxMemoryRows: this.deps.maxMemoryRows ?? 300_000 }),
      resolver: this.deps.resolver,
      session: state,
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
      case "Begin": await this.txConn.begin(session, stmt.text); return emptyResult();
      case "Commit": await this.commit(session); return emptyResult();
      case "Rollback":
        if (stmt.savepoint !== undefined) await this.txConn.savepoint(session, "rollback_to", stmt.savepoint);
        else await this.rollback(session);
        return emptyResult();
      case "Savepoint":
        await this.txConn.savepoint(session, stmt.release ? "release" : "savepoint", stmt.name);
        return emptyResult();
      case "Show":
        switch (stmt.show) {
          case "vitess_shards": return showVitessShards(this.deps.srv);
          case "vitess_tablets": return showVitessTablets(this.deps.gateway);
          case "keyspaces": case "vschema_keyspaces": return showKeyspaces(this.deps.srv);
          case "vitess_target": return showVitessTarget(targetString(session.target));
          case "vschema_tables": return showVSchemaTables(this.deps.srv, session.target.keyspace);
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

  /** Ends the session's transaction per its transaction_mode (SINGLE / MULTI best effort / TWOPC atomic): tx-conn.ts. */
  commit(session: Session): Promise<void> {
    return this.txConn.commit(session);
  }

  /** Rolls back every shard transaction; errors are ignored (the tablet's killer reaps leftovers). */
  rollback(session: Session): Promise<void> {
    return this.txConn.rollback(session);
  }
}

const enc = new TextEncoder();

/**
 * A session's reusable hot-path state: the controller KILL QUERY aborts, the engine cursor, and what they were built
 * for. `race` settles with the statement, or rejects with the abort reason as soon as the controller aborts (one
 * listener for the controller's lifetime, not one per statement).
 */
class HotStatement {
  private reject: ((e: unknown) => void) | undefined;

  constructor(readonly ctl: AbortController, readonly vc: VCursor, readonly prefix: string, readonly ignoreMaxRows: boolean) {
    ctl.signal.addEventListener("abort", () => this.reject?.(ctl.signal.reason), { once: true });
  }

  /** `reject` gets the abort reason if the controller aborts before the next statement starts. */
  watch(reject: (e: unknown) => void): void {
    if (this.ctl.signal.aborted) reject(this.ctl.signal.reason);
    else this.reject = reject;
  }

  race<T>(p: Promise<T>): Promise<T> {
    if (this.ctl.signal.aborted) {
      p.catch(() => undefined);
      return Promise.reject(this.ctl.signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      this.reject = reject;
      p.then(resolve, reject);
    });
  }
}

/** Where the direct path reports (Executor.runWith's callbacks, or a promise's). */
interface DirectSink {
  readonly ok: (r: Result | ResultStream) => void;
  readonly fail: (e: unknown) => void;
}

/** Longer statement texts are planned every time instead of being cached (the cache is bounded by count). */
const MAX_CACHED_SQL = 256 * 1024;

async function collect(stream: AsyncIterable<Result>): Promise<Result> {
  let out: Result | undefined;
  const rows: Result["rows"][number][] = [];
  for await (const r of stream) {
    out ??= r;
    for (const row of r.rows) rows.push(row);
  }
  return { ...(out ?? emptyResult()), rows };
}

/** A boolean directive of the statement (`d` undefined: it has none). */
const isSet = (d: Directives | undefined, key: string): boolean => d !== undefined && directiveIsSet(d, key);

/** True when a plan (as described for VEXPLAIN) contains a Scatter Route (what --no_scatter forbids). */
function hasScatterRoute(d: PrimitiveDescription): boolean {
  return (d.OperatorType === "Route" && d.Variant === "Scatter") || (d.Inputs ?? []).some(hasScatterRoute);
}

/** The timeout of one query: the QUERY_TIMEOUT_MS directive if given, else the default. */
function queryTimeout(directive: string | undefined, fallback: number): number {
  if (directive === undefined) return fallback;
  const n = Number(directive);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function timeoutError(): SqlError {
  return new SqlError(3024, "HY000", "Query execution was interrupted, maximum statement execution time exceeded", "DEADLINE_EXCEEDED");
}

function killedError(): SqlError {
  return new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED");
}

function unknownPrepared(name: string, where: string): SqlError {
  return new SqlError(1243, "HY000", `Unknown prepared statement handler (${name}) given to ${where}`, "NOT_FOUND");
}

/** MariaDB's own max_statement_time error (1969) becomes MySQL's 3024 when vtgate set the limit. */
function mapTimeout(e: unknown, timeoutMs: number): SqlError {
  const err = SqlError.from(e);
  return timeoutMs > 0 && err.errno === 1969 ? timeoutError() : err;
}

/** Settles with `p`, or rejects with the signal's reason as soon as it aborts (the work itself is left to finish). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      p.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then((v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener("abort", onAbort); reject(e as Error); });
  });
}

function cloneForAutocommit(s: Session): Session {
  const c = Object.create(Object.getPrototypeOf(s) as object) as Session;
  Object.assign(c, s, { inTransaction: false, autocommit: true, shardSessions: [] });
  return c;
}

export { TABLET_TYPE_NUMBER };
