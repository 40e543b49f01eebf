import { Capability } from "../constants/capabilities.js";
import type { HandshakeResponse41 } from "./handshake-response41.js";
import { PayloadReader } from "./payload-reader.js";

/**
 * Decodes COM_CHANGE_USER (0x11, user, auth response, database, [charset], [plugin], [attributes]) into the
 * same shape as a HandshakeResponse41, using the connection's negotiated `capabilities`.
 * Throws SqlError 1835 when truncated.
 */
export function decodeComChangeUser(payload: Buffer, capabilities: number): HandshakeResponse41 {
  const r = new PayloadReader(payload, 1);
  const user = r.nulStr();
  const authResponse = capabilities & Capability.SECURE_CONNECTION ? r.bytes(r.u8()) : r.nulBytes();
  const database = r.nulStr();
  let charset = 0;
  if (r.remaining >= 2) charset = r.u16();
  let authPluginName = "";
  if (capabilities & Capability.PLUGIN_AUTH && r.remaining > 0) authPluginName = r.nulStr();
  const attributes = new Map<string, string>();
  if (capabilities & Capability.CONNECT_ATTRS && r.remaining > 0) {
    const end = r.pos + (r.lenencInt() ?? 0);
    while (r.pos < end && r.remaining > 0) {
      const k = r.lenencBytes().toString("utf8");
      attributes.set(k, r.lenencBytes().toString("utf8"));
    }
  }
  return { capabilities, maxPacketSize: 0, charset, user, authResponse, database, authPluginName, attributes };
}
