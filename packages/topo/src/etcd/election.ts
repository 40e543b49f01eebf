import { LockElection } from "../election-on-lock.js";
import type { Election, TopoConn } from "../topo-conn.js";

/** election: the shared lock-based election over this conn (see {@link LockElection}). */
export function etcdElection(conn: TopoConn, name: string): Election {
  return new LockElection(conn, name);
}
