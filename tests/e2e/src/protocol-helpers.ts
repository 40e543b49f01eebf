// Helpers for the protocol end-to-end tests: a byte-level MySQL client (enough to log in with empty credentials and
// send raw packets), an extra vtgate started with its own flags against a running cluster, and RSS/fd readers.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import {
  getFreePorts, readClusterState, startProcess, stopProcess, vtgateSpec, type LocalCluster, type ProcessRecord,
} from "@vt/localcluster";

/** Client capability flags the raw client sends (PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, DEPRECATE_EOF, ...). */
export const RAW_CAPS = (0x200 | 0x8000 | 0x80000 | 0x1000000 | 0x20000 | 0x1 | 0x2000) >>> 0;

/** One MySQL packet as read: sequence id and payload. */
export interface RawPacket { seq: number; payload: Buffer }

/** A byte-level client: frames incoming packets and lets tests write anything. */
export class RawConn {
  private buf: Buffer = Buffer.alloc(0);
  private readonly queue: RawPacket[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  constructor(readonly socket: Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4) {
        const len = this.buf.readUIntLE(0, 3);
        if (this.buf.length < 4 + len) break;
        this.queue.push({ seq: this.buf[3]!, payload: this.buf.subarray(4, 4 + len) });
        this.buf = this.buf.subarray(4 + len);
      }
      this.wake?.();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => { this.closed = true; this.wake?.(); });
  }

  static open(port: number): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new RawConn(s)));
      s.once("error", reject);
    });
  }

  /** Next packet, or null when the server closed the connection (or `ms` passed). */
  async read(ms = 5000): Promise<RawPacket | null> {
    const deadline = Date.now() + ms;
    while (this.queue.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, Math.max(1, deadline - Date.now())); });
      this.wake = null;
    }
    return this.queue.shift() ?? null;
  }

  /** Writes one framed packet. */
  send(seq: number, payload: Buffer): void {
    const h = Buffer.alloc(4);
    h.writeUIntLE(payload.length, 0, 3);
    h[3] = seq;
    this.socket.write(Buffer.concat([h, payload]));
  }

  /** Reads the handshake and logs in as `user` with an empty password (the example's no-auth vtgate). */
  async login(user = "user"): Promise<RawPacket> {
    const hs = await this.read();
    if (hs === null) throw new Error("no handshake");
    const head = Buffer.alloc(32);
    head.writeUInt32LE(RAW_CAPS, 0);
    head.writeUInt32LE(1 << 24, 4);
    head[8] = 45;
    this.send(1, Buffer.concat([head, Buffer.from(`${user}\0`), Buffer.from([0]), Buffer.from("mysql_native_password\0")]));
    const ok = await this.read();
    if (ok === null || ok.payload[0] !== 0) throw new Error(`login failed: ${ok?.payload.toString("latin1")}`);
    return ok;
  }

  /** COM_QUERY and every packet of its response until an OK/ERR that ends it. */
  async query(sql: string): Promise<RawPacket[]> {
    this.send(0, Buffer.concat([Buffer.from([3]), Buffer.from(sql)]));
    const out: RawPacket[] = [];
    for (;;) {
      const p = await this.read();
      if (p === null) return out;
      out.push(p);
      const h = p.payload[0];
      if (h === 0xff) return out;
      if ((h === 0x00 && out.length === 1) || (h === 0xfe && p.payload.length < 0xffffff && out.length > 1)) {
        const status = p.payload.length >= 7 ? readStatus(p.payload) : 0;
        if ((status & 8) === 0) return out;
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function readStatus(ok: Buffer): number {
  let i = 1;
  for (let k = 0; k < 2; k++) {
    const b = ok[i]!;
    i += b < 0xfb ? 1 : b === 0xfc ? 3 : b === 0xfd ? 4 : 9;
  }
  return ok.readUInt16LE(i);
}

/** `mysql_native_password` hash of a password as stored in a static auth file (`*HEX`). */
export function nativeHash(pw: string): string {
  const s1 = createHash("sha1").update(pw).digest();
  return `*${createHash("sha1").update(s1).digest("hex").toUpperCase()}`;
}

/** The pid of a cluster process (from cluster.json). */
export function pidOf(cluster: LocalCluster, name: string): number {
  const rec = readClusterState(cluster.dataDir)?.processes.find((p) => p.name === name);
  if (!rec) throw new Error(`no process ${name}`);
  return rec.pid;
}

/** Resident set size of a process, in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Open file descriptors of a process. */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** An extra vtgate against a running cluster's topo, with extra flags; stop it with `stop()`. */
export interface ExtraGate { port: number; pid: number; stop(): Promise<void> }

export async function startExtraGate(cluster: LocalCluster, name: string, flags: readonly string[]): Promise<ExtraGate> {
  const [port] = await getFreePorts(1);
  const etcdPort = Number(cluster.etcdEndpoint.split(":").pop());
  const base = vtgateSpec({
    etcdPort, cell: "zone1", cells: ["zone1"], mysqlPort: port!, grpcPort: 0, logDir: join(cluster.dataDir, "logs"),
  });
  const rec: ProcessRecord = await startProcess({ ...base, name, logFile: join(cluster.dataDir, "logs", `${name}.log`), args: [...base.args, ...flags] }, 90_000);
  return { port: port!, pid: rec.pid, stop: () => stopProcess(rec) };
}
