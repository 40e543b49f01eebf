import { TopoError } from "@vt/errors";
import { dirEntriesFromKeys } from "../dir-entries.js";
import type { DirEntry } from "../topo-conn.js";
import type { MemoryStore } from "./memory-store.js";

/** listDir: see TopoConn.listDir. `prefix` is the absolute dir key with a trailing slash. */
export function memListDir(store: MemoryStore, prefix: string, path: string): DirEntry[] {
  const entries = dirEntriesFromKeys(store.keysWithPrefix(prefix), prefix);
  if (entries.length === 0) throw new TopoError("NoNode", path);
  return entries;
}
