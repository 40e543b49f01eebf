import { SqlError } from "@vt/errors";
import type { DbConn } from "./db-conn.js";

/** The statement a kill is aimed at: its connection, the text sent, and whether its answer already came back. */
export interface KillTarget {
  readonly threadId: number;
  readonly sql: string;
  readonly finished: boolean;
}

/** MariaDB's "Unknown query id": the statement ended between the lookup and the kill. */
const ER_NO_SUCH_QUERY = 1957;

/**
 * Stops the statement `t` on MariaDB without hitting another one. A plain `KILL QUERY <thread>` stops whatever that
 * connection runs when the kill arrives. On a pipelined connection that can be the next client's statement, if `t`
 * ended a moment before. On a transaction's connection it can be the client's next statement. So this looks up the
 * connection's running statement in information_schema.PROCESSLIST. INFO_BINARY holds the text's bytes as received,
 * truncated at 64 KiB; the current statement of a multi-statement text is a part of it. The lookup sends
 * `KILL QUERY ID <query id>` only when the running statement is `t` and `t` is not answered yet. True when it sent
 * the kill. A statement that ends in between makes the kill fail harmlessly with 1957.
 */
export async function killStatement(admin: DbConn, t: KillTarget): Promise<boolean> {
  const [r] = await admin.query(`SELECT QUERY_ID, INFO_BINARY FROM information_schema.PROCESSLIST WHERE ID = ${t.threadId}`);
  const row = r?.rows[0];
  const qid = row?.[0];
  const info = row?.[1];
  if (qid == null || info == null || info.length === 0 || t.finished) return false;
  if (Buffer.from(t.sql, "utf8").indexOf(Buffer.from(info.buffer, info.byteOffset, info.byteLength)) < 0) return false;
  try {
    await admin.query(`KILL QUERY ID ${Buffer.from(qid.buffer, qid.byteOffset, qid.byteLength).toString("latin1")}`);
    return true;
  } catch (e) {
    if (e instanceof SqlError && e.errno === ER_NO_SUCH_QUERY) return false;
    throw e;
  }
}
