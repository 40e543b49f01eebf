import type { SessionState, Warning } from "@vt/engine";
import { SqlError } from "@vt/errors";
import { valueToString, type Value } from "@vt/sqltypes";
import type { Session } from "./session.js";

const TRUTHY = new Set(["1", "on", "true"]);
const FALSY = new Set(["0", "off", "false"]);

/**
 * The engine's view of a vtgate Session (SessionState role). `onAutocommitOn` runs when SET autocommit = 1 ends an
 * implicit transaction (MySQL commits it then).
 */
export class SessionStateImpl implements SessionState {
  constructor(private readonly s: Session, private readonly onAutocommitOn: () => Promise<void>) {}

  inTransaction(): boolean {
    return this.s.inTransaction;
  }

  recordWarning(w: Warning): void {
    this.s.warnings.push({ level: "Warning", code: w.code, message: w.message });
  }

  setLastInsertId(id: bigint): void {
    this.s.lastInsertId = id;
  }

  setFoundRows(n: bigint): void {
    this.s.foundRows = n;
  }

  systemVariable(name: string): string | undefined {
    return this.s.systemVars.get(name.toLowerCase());
  }

  async setVariable(scope: "user" | "session" | "global", name: string, value: Value | undefined, expr: string): Promise<void> {
    const lname = name.toLowerCase();
    if (scope === "user") {
      if (value !== undefined) this.s.userVars.set(lname, value);
      return;
    }
    if (scope === "global") {
      throw new SqlError(1227, "42000", "Access denied; you need (at least one of) the SUPER privilege(s) for this operation", "PERMISSION_DENIED");
    }
    const text = value !== undefined ? (valueToString(value) ?? "NULL") : expr;
    switch (lname) {
      case "autocommit": {
        const on = TRUTHY.has(text.toLowerCase().replace(/'/g, ""));
        if (!on && !FALSY.has(text.toLowerCase().replace(/'/g, ""))) {
          throw new SqlError(1231, "42000", `Variable 'autocommit' can't be set to the value of '${text}'`, "INVALID_ARGUMENT");
        }
        if (on && !this.s.autocommit) await this.onAutocommitOn();
        this.s.autocommit = on;
        return;
      }
      case "transaction_mode": {
        const mode = text.replace(/'/g, "").toUpperCase();
        if (mode !== "SINGLE" && mode !== "MULTI" && mode !== "TWOPC") {
          throw new SqlError(1231, "42000", `invalid transaction_mode: ${text}`, "INVALID_ARGUMENT");
        }
        this.s.transactionMode = mode;
        return;
      }
      default:
        this.s.systemVars.set(lname, expr);
    }
  }
}
