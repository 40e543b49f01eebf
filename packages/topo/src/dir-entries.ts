import type { DirEntry } from "./topo-conn.js";

/**
 * Immediate children of the directory whose absolute keys (with trailing slash) is `prefix`, given every key
 * under it: a name is a dir when some key continues past it. Sorted by name; empty when nothing is under it.
 */
export function dirEntriesFromKeys(keys: Iterable<string>, prefix: string): DirEntry[] {
  const byName = new Map<string, boolean>();
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    byName.set(name, (byName.get(name) ?? false) || slash >= 0);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, isDir]) => ({ name, isDir }));
}
