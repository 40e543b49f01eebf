import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import type { TopoConn, Version } from "./topo-conn.js";

/** A decoded record and the version it was read at. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: Version;
}

/** Reads and decodes a protobuf record. Throws TopoError NoNode if absent. */
export async function readProto<D extends DescMessage>(conn: TopoConn, path: string, schema: D): Promise<Versioned<MessageShape<D>>> {
  const { data, version } = await conn.get(path);
  return { value: fromBinary(schema, data), version };
}

/** Like {@link readProto} but returns null when the node does not exist. */
export async function readProtoOrNull<D extends DescMessage>(conn: TopoConn, path: string, schema: D): Promise<Versioned<MessageShape<D>> | null> {
  try {
    return await readProto(conn, path, schema);
  } catch (e) {
    if (isTopoError(e, "NoNode")) return null;
    throw e;
  }
}

/** Encodes a record and writes it with `update` (version null = upsert). */
export function writeProto<D extends DescMessage>(
  conn: TopoConn, path: string, schema: D, value: MessageShape<D>, version: Version | null,
): Promise<Version> {
  return conn.update(path, toBinary(schema, value), version);
}

/** Encodes a record and creates it. Throws TopoError NodeExists. */
export function createProto<D extends DescMessage>(conn: TopoConn, path: string, schema: D, value: MessageShape<D>): Promise<Version> {
  return conn.create(path, toBinary(schema, value));
}

/** Names of a directory's entries, or [] when it does not exist. */
export async function listNames(conn: TopoConn, dirPath: string, dirsOnly = false): Promise<string[]> {
  try {
    return (await conn.listDir(dirPath)).filter((e) => !dirsOnly || e.isDir).map((e) => e.name);
  } catch (e) {
    if (isTopoError(e, "NoNode")) return [];
    throw e;
  }
}

/**
 * Read-modify-write under CAS: reads the record (null if absent), lets `mutate` change it, writes it at the read
 * version (create when absent), and retries on BadVersion/NodeExists. `mutate` returns false to skip the write.
 * Returns the record as written (or as read, when skipped), or null when absent and `mutate` skipped.
 */
export async function updateProtoFields<D extends DescMessage>(
  conn: TopoConn, path: string, schema: D, mutate: (value: MessageShape<D> | null) => MessageShape<D> | false,
): Promise<Versioned<MessageShape<D>> | null> {
  for (;;) {
    const cur = await readProtoOrNull(conn, path, schema);
    const next = mutate(cur === null ? null : cur.value);
    if (next === false) return cur;
    try {
      const version = cur === null ? await createProto(conn, path, schema, next) : await writeProto(conn, path, schema, next, cur.version);
      return { value: next, version };
    } catch (e) {
      if (isTopoError(e, "BadVersion") || isTopoError(e, "NodeExists") || isTopoError(e, "NoNode")) continue;
      throw e;
    }
  }
}
