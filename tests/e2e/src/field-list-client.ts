// A tiny byte-level MySQL client for the one command mysql2 cannot send: COM_FIELD_LIST. Logs in with an empty
// password (mysql_native_password, no CLIENT_DEPRECATE_EOF) and returns column names or the server's error.
import { connect, type Socket } from "node:net";

/** Outcome of one COM_FIELD_LIST: the column names, or the ERR packet's errno and message. */
export type FieldListResult = { columns: string[] } | { errno: number; message: string };

/** Opens a connection to `port` as `user` in `database`, sends COM_FIELD_LIST for `table` and `wildcard`, closes. */
export async function fieldList(port: number, user: string, database: string, table: string, wildcard = ""): Promise<FieldListResult> {
  const s = connect(port, "127.0.0.1");
  const reader = packetReader(s);
  try {
    await reader(); // handshake
    const caps = 0x200 | 0x8000 | 0x80000 | 0x8 | 0x1 | 0x4; // PROTOCOL_41, SECURE_CONN, PLUGIN_AUTH, CONNECT_WITH_DB, LONG_PASSWORD, LONG_FLAG
    const head = Buffer.alloc(32);
    head.writeUInt32LE(caps, 0);
    head.writeUInt32LE(1 << 24, 4);
    head[8] = 45;
    write(s, Buffer.concat([head, Buffer.from(`${user}\0`), Buffer.from([0]), Buffer.from(`${database}\0`), Buffer.from("mysql_native_password\0")]), 1);
    const ok = await reader();
    if (ok[0] === 0xff) return err(ok);
    write(s, Buffer.concat([Buffer.from([4]), Buffer.from(`${table}\0`), Buffer.from(wildcard)]), 0);
    const columns: string[] = [];
    for (;;) {
      const p = await reader();
      if (p[0] === 0xff) return err(p);
      if (p[0] === 0xfe && p.length < 9) return { columns };
      let off = 0;
      const str = (): string => {
        const n = p[off]!;
        const v = p.toString("utf8", off + 1, off + 1 + n);
        off += 1 + n;
        return v;
      };
      for (let i = 0; i < 4; i++) str(); // catalog, schema, table, org_table
      columns.push(str());
    }
  } finally {
    s.destroy();
  }
}

function err(p: Buffer): FieldListResult {
  return { errno: p.readUInt16LE(1), message: p.toString("utf8", 9) };
}

function write(s: Socket, payload: Buffer, seq: number): void {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  s.write(Buffer.concat([h, payload]));
}

function packetReader(s: Socket): () => Promise<Buffer> {
  let buf = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  let closed = false;
  s.on("data", (c: Buffer) => { buf = Buffer.concat([buf, c]); wake?.(); });
  s.on("close", () => { closed = true; wake?.(); });
  s.on("error", () => undefined);
  return async () => {
    for (;;) {
      if (buf.length >= 4) {
        const n = buf.readUIntLE(0, 3);
        if (buf.length >= 4 + n) {
          const p = buf.subarray(4, 4 + n);
          buf = buf.subarray(4 + n);
          return p;
        }
      }
      if (closed) throw new Error("connection closed");
      await new Promise<void>((r) => { wake = r; });
      wake = null;
    }
  };
}
