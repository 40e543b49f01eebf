import { TopoError } from "@vt/errors";
import type { Etcd3 } from "etcd3";
import { dirEntriesFromKeys } from "../dir-entries.js";
import type { DirEntry } from "../topo-conn.js";
import { etcdCall } from "./errors.js";

/** listDir: every key under `prefix` (absolute, trailing slash), grouped into immediate children. */
export function etcdListDir(client: Etcd3, prefix: string, path: string): Promise<DirEntry[]> {
  return etcdCall(path, async () => {
    const entries = dirEntriesFromKeys(await client.getAll().prefix(prefix).keys(), prefix);
    if (entries.length === 0) throw new TopoError("NoNode", path);
    return entries;
  });
}

/** Whether any key exists under `prefix`. */
export function etcdDirExists(client: Etcd3, prefix: string, path: string): Promise<boolean> {
  return etcdCall(path, async () => (await client.getAll().prefix(prefix).limit(1).keys()).length > 0);
}
