import { TopoError } from "@vt/errors";
import type { NodeValue, Version } from "../topo-conn.js";
import type { MemoryStore } from "./memory-store.js";

/** get: see TopoConn.get. */
export function memGet(store: MemoryStore, key: string, path: string): NodeValue {
  const e = store.entries.get(key);
  if (e === undefined) throw new TopoError("NoNode", path);
  return { data: new Uint8Array(e.data), version: e.modRevision.toString() };
}

/** create: see TopoConn.create. */
export function memCreate(store: MemoryStore, key: string, path: string, data: Uint8Array): Version {
  if (store.entries.has(key)) throw new TopoError("NodeExists", path);
  return store.put(key, data).toString();
}

/** update: see TopoConn.update. */
export function memUpdate(store: MemoryStore, key: string, path: string, data: Uint8Array, version: Version | null): Version {
  if (version !== null) {
    const e = store.entries.get(key);
    if (e === undefined) throw new TopoError("NoNode", path);
    if (e.modRevision.toString() !== version) throw new TopoError("BadVersion", path);
  }
  return store.put(key, data).toString();
}

/** delete: see TopoConn.delete. */
export function memDelete(store: MemoryStore, key: string, path: string, version: Version | null): void {
  const e = store.entries.get(key);
  if (e === undefined) throw new TopoError("NoNode", path);
  if (version !== null && e.modRevision.toString() !== version) throw new TopoError("BadVersion", path);
  store.remove(key);
}
