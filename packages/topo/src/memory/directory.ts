import { TopoError } from "@vt/errors";
import type { DirEntry } from "../topo-conn.js";
import type { MemoryStore } from "./memory-store.js";

/** listDir: see TopoConn.listDir. `prefix` is the absolute dir key with a trailing slash. */
export function memListDir(store: MemoryStore, prefix: string, path: string): DirEntry[] {
  const byName = new Map<string, boolean>();
  for (const k of store.keysWithPrefix(prefix)) {
    const rest = k.slice(prefix.length);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    byName.set(name, (byName.get(name) ?? false) || slash >= 0);
  }
  if (byName.size === 0) throw new TopoError("NoNode", path);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, isDir]) => ({ name, isDir }));
}
