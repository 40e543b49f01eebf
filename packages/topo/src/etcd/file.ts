import { TopoError } from "@vt/errors";
import type { Etcd3, IKeyValue } from "etcd3";
import type { NodeValue, Version } from "../topo-conn.js";
import { etcdCall } from "./errors.js";

/** Copies an etcd value into a plain Uint8Array. */
export const bytesOf = (kv: IKeyValue): Uint8Array => new Uint8Array(kv.value);

/** get: see TopoConn.get. */
export function etcdGet(client: Etcd3, key: string, path: string): Promise<NodeValue> {
  return etcdCall(path, async () => {
    const kv = (await client.get(key).exec()).kvs[0];
    if (kv === undefined) throw new TopoError("NoNode", path);
    return { data: bytesOf(kv), version: kv.mod_revision };
  });
}

/** create: a txn putting the key only if its create revision is 0. */
export function etcdCreate(client: Etcd3, key: string, path: string, data: Uint8Array): Promise<Version> {
  return etcdCall(path, async () => {
    const r = await client.if(key, "Create", "==", 0).then(client.put(key).value(Buffer.from(data))).commit();
    if (!r.succeeded) throw new TopoError("NodeExists", path);
    return r.header.revision;
  });
}

/** update: a txn on the mod revision (else-branch reads the key to tell NoNode from BadVersion), or a plain put. */
export function etcdUpdate(client: Etcd3, key: string, path: string, data: Uint8Array, version: Version | null): Promise<Version> {
  return etcdCall(path, async () => {
    if (version === null) return (await client.put(key).value(Buffer.from(data)).exec()).header.revision;
    const r = await client.if(key, "Mod", "==", version).then(client.put(key).value(Buffer.from(data))).else(client.get(key)).commit();
    if (!r.succeeded) throw missingOrBadVersion(r.responses[0]?.response_range?.kvs.length ?? 0, path);
    return r.header.revision;
  });
}

/** delete: see TopoConn.delete. */
export function etcdDelete(client: Etcd3, key: string, path: string, version: Version | null): Promise<void> {
  return etcdCall(path, async () => {
    if (version === null) {
      const r = await client.delete().key(key).exec();
      if (r.deleted === "0") throw new TopoError("NoNode", path);
      return;
    }
    const r = await client.if(key, "Mod", "==", version).then(client.delete().key(key)).else(client.get(key)).commit();
    if (!r.succeeded) throw missingOrBadVersion(r.responses[0]?.response_range?.kvs.length ?? 0, path);
  });
}

function missingOrBadVersion(found: number, path: string): TopoError {
  return found === 0 ? new TopoError("NoNode", path) : new TopoError("BadVersion", path);
}
