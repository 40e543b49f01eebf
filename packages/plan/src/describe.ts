import { evalExprString } from "@vt/evalengine";
import type { PlanNode } from "./plan-node.js";
import type { TargetDestination } from "./route.js";
import type { FrameBoundParam, WindowFuncParam } from "./window.js";

/** Vitess's PrimitiveDescription JSON: {OperatorType, Variant, Keyspace, ...other, Inputs}. */
export interface PrimitiveDescription {
  readonly OperatorType: string;
  readonly Variant?: string;
  readonly Keyspace?: { readonly Name: string; readonly Sharded: boolean };
  readonly TargetDestination?: string;
  readonly Inputs?: readonly PrimitiveDescription[];
  readonly [other: string]: unknown;
}

const ks = (k: { name: string; sharded: boolean }) => ({ Name: k.name, Sharded: k.sharded });
const dest = (d: TargetDestination): string =>
  d.kind === "Shards" ? `Shards(${d.shards.join(",")})` : d.kind === "KeyRange" ? `KeyRange(${d.range})` : `${d.kind}()`;
const orderText = (o: readonly { col: number; desc: boolean }[]) => o.map((x) => `${x.col} ${x.desc ? "DESC" : "ASC"}`).join(", ");
const opt = <T>(key: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [key]: v });

const boundText = (b: FrameBoundParam): string => (b.offset ? `${evalExprString(b.offset)} ${b.type}` : b.type);

/** `rank() over (partition by [COLUMN 0] order by 1 ASC) AS alias` style text of one window function. */
function windowText(w: WindowFuncParam): string {
  const over = [
    ...(w.partitionBy.length > 0 ? [`partition by ${w.partitionBy.join(", ")}`] : []),
    ...(w.orderBy.length > 0 ? [`order by ${orderText(w.orderBy)}`] : []),
    ...(w.frame ? [`${w.frame.unit} between ${boundText(w.frame.start)} and ${boundText(w.frame.end)}`] : []),
  ];
  return `${w.func}(${w.args.map(evalExprString).join(", ")}) over (${over.join(" ")}) AS ${w.alias}`;
}

/** Describes a plan tree in Vitess's EXPLAIN/VEXPLAIN JSON shape. */
export function describe(node: PlanNode): PrimitiveDescription {
  switch (node.kind) {
    case "Route": case "Update": case "Delete":
      return {
        OperatorType: node.kind, Variant: node.opcode, Keyspace: ks(node.keyspace),
        ...opt("TargetDestination", node.targetDestination && dest(node.targetDestination)),
        ...(node.kind === "Route" ? { FieldQuery: node.fieldQuery } : {}),
        ...(node.kind === "Route" && node.orderBy ? { OrderBy: orderText(node.orderBy) } : {}),
        Query: node.query, Table: node.tableName,
        ...opt("Values", node.values?.map(evalExprString)),
        ...(node.kind === "Route" ? opt("SysTableTableSchema", node.sysTableSchema && `[${node.sysTableSchema.map(evalExprString).join(", ")}]`) : {}),
        ...opt("Vindex", node.vindex),
        ...(node.kind === "Route" ? opt("ResultColumns", node.truncateColumnCount) : {}),
        ...(node.kind !== "Route" && node.owned ? { OwnedVindexQuery: node.owned.query, ChangedVindexValues: node.owned.vindexes.map((v) => `${v.vindex}:${(v.newValues ?? []).map(evalExprString).join(",")}`) } : {}),
        ...(node.kind === "Update" && node.move ? { MoveRowsQuery: node.move.query } : {}),
        ...(node.kind !== "Route" && node.limited ? { LimitQuery: node.limited.query } : {}),
      };
    case "VindexLookup":
      return { OperatorType: "VindexLookup", Variant: node.opcode, Keyspace: ks(node.keyspace), Values: node.values.map(evalExprString), Vindex: node.vindex,
        Inputs: [describe(node.lookup), describe({ ...node.sendTo, opcode: "ByDestination", values: undefined, vindex: undefined } as PlanNode)] };
    case "VindexFunc":
      return { OperatorType: "VindexFunc", Variant: node.opcode, Columns: node.cols.map((c) => c.col), Fields: node.cols.map((c) => c.name),
        Value: evalExprString(node.value), Vindex: node.vindex };
    case "OrderedAggregate": case "ScalarAggregate":
      return {
        OperatorType: "Aggregate", Variant: node.kind === "OrderedAggregate" ? "Ordered" : "Scalar",
        Aggregates: node.aggregates.map((a) => `${a.opcode}(${a.col}) AS ${a.alias}`).join(", "),
        ...(node.kind === "OrderedAggregate" ? { GroupBy: node.groupBy.map((g) => String(g.col)).join(", ") } : {}),
        ...(node.kind === "OrderedAggregate" && node.rollup ? { Rollup: true } : {}),
        ...opt("ResultColumns", node.truncateColumnCount),
        Inputs: [describe(node.input)],
      };
    case "MemorySort":
      return { OperatorType: "Sort", Variant: "Memory", OrderBy: orderText(node.orderBy), ...opt("ResultColumns", node.truncateColumnCount), Inputs: [describe(node.input)] };
    case "Limit":
      return { OperatorType: "Limit", Count: evalExprString(node.count), ...opt("Offset", node.offset && evalExprString(node.offset)), Inputs: [describe(node.input)] };
    case "Distinct":
      return { OperatorType: "Distinct", ...opt("ResultColumns", node.truncateColumnCount), Inputs: [describe(node.input)] };
    case "UncorrelatedSubquery":
      return { OperatorType: "UncorrelatedSubquery", Variant: node.opcode,
        ...(node.opcode === "PulloutExists" ? {} : { PulloutVars: node.opcode === "PulloutValue" ? [node.resultName] : [node.hasValuesName, node.resultName] }),
        ...(node.opcode === "PulloutExists" ? { PulloutVars: [node.hasValuesName] } : {}),
        Inputs: [describe(node.subquery), describe(node.outer)] };
    case "RecursiveCte":
      return { OperatorType: "RecursiveCTE", Variant: node.distinct ? "Union" : "UnionAll", Name: node.name,
        ...(Object.keys(node.vars).length > 0 ? { JoinVars: { ...node.vars } } : {}), Inputs: [describe(node.anchor), describe(node.recursive)] };
    case "SubqueryApply":
      return { OperatorType: "SubqueryApply", Variant: node.opcode,
        ...(node.operand ? { Comparison: `${evalExprString(node.operand)} ${node.op ?? "="}` } : {}),
        ...(Object.keys(node.vars).length > 0 ? { JoinVars: { ...node.vars } } : {}),
        Column: node.name, Inputs: [describe(node.outer), describe(node.subquery)] };
    case "Filter":
      return { OperatorType: "Filter", Predicate: evalExprString(node.predicate), Inputs: [describe(node.input)] };
    case "SQLCalcFoundRows":
      return { OperatorType: "SQL_CALC_FOUND_ROWS", Inputs: [describe(node.limit), describe(node.count)] };
    case "EvalProjection":
      return { OperatorType: "Projection", Expressions: node.exprs.map((e, i) => `${evalExprString(e)} as ${node.names[i]}`), Inputs: [describe(node.input)] };
    case "Window":
      return { OperatorType: "Window", Functions: node.windows.map(windowText), Inputs: [describe(node.input)] };
    case "Projection":
      return { OperatorType: "SimpleProjection", Columns: node.cols.join(","), Inputs: [describe(node.input)] };
    case "Join":
      return { OperatorType: "Join", Variant: node.opcode, JoinColumnIndexes: node.cols.map((c) => (c < 0 ? `L:${-c - 1}` : `R:${c - 1}`)).join(","),
        ...(Object.keys(node.vars).length > 0 ? { JoinVars: Object.fromEntries(Object.entries(node.vars).map(([k, v]) => [k, v])) } : {}),
        TableName: "", Inputs: [describe(node.left), describe(node.right)] };
    case "Concatenate": return { OperatorType: "Concatenate", Inputs: node.sources.map(describe) };
    case "Insert":
      return {
        OperatorType: "Insert", Variant: node.opcode === "InsertSharded" ? "Sharded" : "Unsharded", Keyspace: ks(node.keyspace),
        Query: node.query ?? `${node.prefix}${(node.rows ?? []).join(", ")}${node.suffix}`, TableName: node.tableName,
        ...(node.vindexValues ? { VindexValues: { [node.vindex ?? ""]: node.vindexValues.map((r) => r.map(evalExprString).join(", ")).join(", ") } } : {}),
        ...(node.generate ? { AutoIncrement: `${node.generate.keyspace.name}:${node.generate.table}(${node.generate.column})` } : {}),
        ...(node.owned ? { OwnedVindexes: Object.fromEntries(node.owned.map((o) => [o.vindex, o.values.map((r) => r.map(evalExprString).join(", ")).join(", ")])) } : {}),
        ...(node.ignore ? { InsertIgnore: true } : {}),
        ...(node.input ? { Inputs: [describe(node.input)] } : {}),
      };
    case "Send":
      return { OperatorType: "Send", Keyspace: ks(node.keyspace), TargetDestination: dest(node.targetDestination),
        Query: node.query, ...(node.isDML ? { IsDML: true } : {}), ...(node.singleShardOnly ? { SingleShardOnly: true } : {}) };
    case "Rows": return { OperatorType: "Rows" };
    case "SingleRow": return { OperatorType: "SingleRow" };
    case "Set": return { OperatorType: "Set", Ops: node.ops.map((o) => `${o.scope}:${o.name} = ${o.expr}`) };
  }
}
