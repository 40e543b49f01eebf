import { createHash } from "node:crypto";
import { SqlError } from "@vt/errors";
import { typeFromMySQL, type Field, type Result, type Row } from "@vt/sqltypes";

/** Client capability flags we use (MySQL protocol). */
export const Cap = {
  LONG_PASSWORD: 0x1, FOUND_ROWS: 0x2, LONG_FLAG: 0x4, CONNECT_WITH_DB: 0x8, PROTOCOL_41: 0x200,
  TRANSACTIONS: 0x2000, SECURE_CONNECTION: 0x8000, MULTI_STATEMENTS: 0x10000, MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000, PLUGIN_AUTH: 0x80000,
} as const;

/** SERVER_MORE_RESULTS_EXISTS in OK/EOF status flags. */
export const MORE_RESULTS = 0x0008;
/** utf8mb4_general_ci, the collation the connection asks for (as mysql2's charset "utf8mb4"). */
export const UTF8MB4_GENERAL_CI = 45;

/** Reads a length-encoded integer at `pos`; returns [value, next position]. Values above 2^53 lose precision. */
export function lenenc(p: Uint8Array, pos: number): [number, number] {
  const b = p[pos]!;
  if (b < 0xfb) return [b, pos + 1];
  if (b === 0xfc) return [p[pos + 1]! | (p[pos + 2]! << 8), pos + 3];
  if (b === 0xfd) return [p[pos + 1]! | (p[pos + 2]! << 8) | (p[pos + 3]! << 16), pos + 4];
  const lo = (p[pos + 1]! | (p[pos + 2]! << 8) | (p[pos + 3]! << 16)) + p[pos + 4]! * 0x1000000;
  const hi = p[pos + 5]! | (p[pos + 6]! << 8) | (p[pos + 7]! << 16) | (p[pos + 8]! << 24);
  return [hi * 0x100000000 + lo, pos + 9];
}

/** Reads a length-encoded integer exactly, as a bigint. */
function lenencBig(p: Uint8Array, pos: number): [bigint, number] {
  if (p[pos] !== 0xfe) {
    const [v, n] = lenenc(p, pos);
    return [BigInt(v), n];
  }
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return [dv.getBigUint64(pos + 1, true), pos + 9];
}

const latin = (p: Buffer, from: number, to: number): string => p.toString("utf8", from, to);

/** Parses an OK packet (first byte 0x00 or 0xfe) into an empty-rows Result. */
export function parseOk(p: Buffer): Result {
  const [rowsAffected, a] = lenencBig(p, 1);
  const [insertId, b] = lenencBig(p, a);
  const statusFlags = p[b]! | (p[b + 1]! << 8);
  const warnings = p[b + 2]! | (p[b + 3]! << 8);
  let info = "";
  if (b + 4 < p.length) {
    // MariaDB sends info as a length-encoded string; the protocol also allows "rest of the packet".
    const [n, at] = lenenc(p, b + 4);
    info = at + n === p.length ? latin(p, at, p.length) : latin(p, b + 4, p.length);
  }
  return { fields: [], rows: [], rowsAffected, insertId, info, warnings, statusFlags };
}

/** Status flags of an EOF packet. */
export const eofStatus = (p: Buffer): number => p[3]! | (p[4]! << 8);

/** Parses an ERR packet into a SqlError with MariaDB's errno/SQLSTATE. */
export function parseErr(p: Buffer): SqlError {
  const errno = p[1]! | (p[2]! << 8);
  let sqlState = "HY000";
  let from = 3;
  if (p[3] === 0x23) { sqlState = p.toString("latin1", 4, 9); from = 9; }
  return new SqlError(errno, sqlState, p.toString("utf8", from), "UNKNOWN");
}

/** Parses a ColumnDefinition41 packet into a Field. */
export function parseColumn(p: Buffer): Field {
  let pos = 0;
  const str = (): string => {
    const [n, at] = lenenc(p, pos);
    pos = at + n;
    return n === 0 ? "" : p.toString("utf8", at, at + n);
  };
  str(); // catalog "def"
  const database = str();
  const table = str();
  const orgTable = str();
  const name = str();
  const orgName = str();
  pos += 1; // length of fixed fields (0x0c)
  const charset = p[pos]! | (p[pos + 1]! << 8);
  const columnLength = (p[pos + 2]! | (p[pos + 3]! << 8) | (p[pos + 4]! << 16) | (p[pos + 5]! << 24)) >>> 0;
  const columnType = p[pos + 6]!;
  const flags = p[pos + 7]! | (p[pos + 8]! << 8);
  const decimals = p[pos + 9]!;
  return {
    name, type: typeFromMySQL(columnType, flags, charset), table, orgTable, database, orgName, columnLength, charset,
    decimals, flags, columnType: "",
  };
}

/**
 * Parses the text-protocol row (`n` columns) whose payload starts at `b[pos]`. Values are views into `b` (no copy),
 * plain Uint8Arrays (cheaper to make than Buffer views: this runs once per cell), null for NULL.
 */
export function parseTextRowAt(b: Buffer, pos: number, n: number): Row {
  const row = new Array<Uint8Array | null>(n);
  const ab = b.buffer;
  const base = b.byteOffset;
  for (let i = 0; i < n; i++) {
    const c = b[pos]!;
    if (c === 0xfb) { row[i] = null; pos++; continue; }
    let len: number;
    if (c < 0xfb) { len = c; pos++; } else [len, pos] = lenenc(b, pos);
    row[i] = new Uint8Array(ab, base + pos, len);
    pos += len;
  }
  return row;
}

/** What the server's HandshakeV10 tells the client. */
export interface Greeting {
  readonly threadId: number;
  readonly capabilities: number;
  readonly scramble: Buffer;
  readonly plugin: string;
}

/** Parses HandshakeV10. Throws SqlError for an ERR greeting (e.g. too many connections). */
export function parseGreeting(p: Buffer): Greeting {
  if (p[0] === 0xff) throw parseErr(p);
  let pos = p.indexOf(0, 1) + 1; // server version
  const threadId = p.readUInt32LE(pos);
  pos += 4;
  const part1 = p.subarray(pos, pos + 8);
  pos += 9; // + filler
  let capabilities = p.readUInt16LE(pos);
  pos += 2 + 1 + 2; // caps low, charset, status
  capabilities |= p.readUInt16LE(pos) << 16;
  pos += 2;
  const authLen = p[pos]!;
  pos += 1 + 10;
  const len2 = Math.max(13, authLen - 8);
  const part2 = p.subarray(pos, pos + len2 - 1); // drop the trailing NUL
  pos += len2;
  const end = p.indexOf(0, pos);
  const plugin = p.toString("latin1", pos, end < 0 ? p.length : end);
  return { threadId, capabilities: capabilities >>> 0, scramble: Buffer.concat([part1, part2]), plugin };
}

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for an empty password. */
export function nativeScramble(password: string, scramble: Buffer): Buffer {
  if (password === "") return Buffer.alloc(0);
  const sha1 = (b: Buffer | string): Buffer => createHash("sha1").update(b).digest();
  const h1 = sha1(password);
  const h3 = sha1(Buffer.concat([scramble.subarray(0, 20), sha1(h1)]));
  for (let i = 0; i < h1.length; i++) h1[i]! ^= h3[i]!;
  return h1;
}

/** Builds the HandshakeResponse41 payload. */
export function handshakeResponse(o: { capabilities: number; user: string; auth: Buffer; database?: string; plugin: string }): Buffer {
  const user = Buffer.from(o.user, "utf8");
  const db = o.database !== undefined ? Buffer.from(o.database, "utf8") : undefined;
  const plugin = Buffer.from(o.plugin, "latin1");
  const out = Buffer.alloc(32 + user.length + 1 + 1 + o.auth.length + (db ? db.length + 1 : 0) + plugin.length + 1);
  out.writeUInt32LE(o.capabilities >>> 0, 0);
  out.writeUInt32LE(0x1000000, 4);
  out[8] = UTF8MB4_GENERAL_CI;
  let pos = 32;
  pos += user.copy(out, pos) + 1;
  out[pos++] = o.auth.length;
  pos += o.auth.copy(out, pos);
  if (db) pos += db.copy(out, pos) + 1;
  plugin.copy(out, pos);
  return out;
}
