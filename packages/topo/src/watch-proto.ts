import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { TopoConn } from "./topo-conn.js";

/** A typed watch on one protobuf record: `changes` yields new values, or null once when the record is deleted. */
export interface ProtoWatch<T> {
  readonly current: T;
  readonly changes: AsyncIterable<T | null>;
  cancel(): void;
}

/** Watches a protobuf record. Throws TopoError NoNode if it does not exist (like Vitess's WatchSrvKeyspace). */
export async function watchProto<D extends DescMessage>(conn: TopoConn, path: string, schema: D): Promise<ProtoWatch<MessageShape<D>>> {
  const w = await conn.watch(path);
  async function* decoded(): AsyncIterable<MessageShape<D> | null> {
    for await (const ev of w.changes) yield ev.type === "put" ? fromBinary(schema, ev.data) : null;
  }
  return { current: fromBinary(schema, w.current.data), changes: decoded(), cancel: () => w.cancel() };
}
