/** Collation ids used on the wire (the "character set" byte of handshake and column definitions). */
export const Collation = {
  /** utf8_general_ci (utf8mb3). */
  UTF8_GENERAL_CI: 33,
  /** utf8mb4_general_ci: our default connection collation (known to MariaDB and MySQL clients alike). */
  UTF8MB4_GENERAL_CI: 45,
  /** binary: numbers, temporal values and binary strings. */
  BINARY: 63,
  /** utf8mb4_0900_ai_ci (MySQL 8 default; unknown to MariaDB servers). */
  UTF8MB4_0900_AI_CI: 255,
} as const;
