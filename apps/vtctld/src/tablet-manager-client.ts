import type { Tablet } from "@vt/proto/topodata";
import { TabletManager } from "@vt/proto/tabletmanagerservice";
import { createClient } from "@vt/rpc";
import { tabletAliasString } from "@vt/topo";
import { vtErr, type TabletManagerClient, type TabletManagerClientOf } from "./deps.js";

/** TabletManager gRPC clients cached per tablet address; calls time out after `timeoutMs`. */
export class GrpcTabletManagerClient implements TabletManagerClient {
  readonly #clients = new Map<string, TabletManagerClientOf>();
  constructor(private readonly timeoutMs = 30_000) {}

  forTablet(tablet: Tablet): TabletManagerClientOf {
    const port = tablet.portMap["grpc"];
    if (port === undefined || port === 0) {
      throw vtErr("FAILED_PRECONDITION", `tablet ${tabletAliasString(tablet.alias ?? { cell: "?", uid: 0 })} has no grpc port`);
    }
    const addr = `${tablet.hostname || "127.0.0.1"}:${port}`;
    let c = this.#clients.get(addr);
    if (c === undefined) {
      c = createClient(TabletManager, addr, { defaultTimeoutMs: this.timeoutMs });
      this.#clients.set(addr, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
