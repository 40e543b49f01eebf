import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** PEM file paths of a certificate and its key. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
}

/**
 * Makes sure `<dir>/server-cert.pem` and `<dir>/server-key.pem` exist: a self-signed RSA-2048 pair for CN=vtgate
 * (SAN localhost, 127.0.0.1), valid ten years, created with the openssl CLI the first time. vtgate serves it so
 * that `mariadb --ssl` works against the local example out of the box. Returns undefined (no TLS) when openssl
 * is not installed.
 */
export function ensureSelfSignedCert(dir: string): TlsFiles | undefined {
  const files = { cert: join(dir, "server-cert.pem"), key: join(dir, "server-key.pem") };
  if (existsSync(files.cert) && existsSync(files.key)) return files;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
      "-keyout", files.key, "-out", files.cert, "-subj", "/CN=vtgate",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ], { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return files;
}
