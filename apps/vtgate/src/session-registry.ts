import type { Session } from "./session.js";

/** What KILL needs of one open client connection. */
export interface RegisteredSession {
  readonly session: Session;
  /** KILL CONNECTION: abort the running statement, roll back, close the socket. */
  kill(): void;
}

/** The open client sessions by connection id (KILL [QUERY|CONNECTION] id, SHOW PROCESSLIST). */
export class SessionRegistry {
  private readonly byId = new Map<number, RegisteredSession>();

  add(id: number, entry: RegisteredSession): void {
    this.byId.set(id, entry);
  }

  remove(id: number): void {
    this.byId.delete(id);
  }

  get(id: number): RegisteredSession | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
