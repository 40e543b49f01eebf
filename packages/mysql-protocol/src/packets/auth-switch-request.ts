import type { PacketWriter } from "./packet-writer.js";

/** Appends an AuthSwitchRequest (0xfe, plugin name, auth data + NUL) asking the client to use another plugin. */
export function encodeAuthSwitchRequest(w: PacketWriter, pluginName: string, authData: Uint8Array): void {
  w.begin().u8(0xfe).nulStr(pluginName).bytes(authData).u8(0);
  w.end();
}

/** Appends an AuthMoreData packet (0x01 + data), e.g. caching_sha2's fast-auth-ok (3) or perform-full-auth (4). */
export function encodeAuthMoreData(w: PacketWriter, data: Uint8Array): void {
  w.begin().u8(0x01).bytes(data);
  w.end();
}
