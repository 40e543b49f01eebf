// The statements sysbench's oltp_read_write sends, with literals: the fast-path parser must take every one, and the
// planner microbenchmark plans them.

/** sysbench's OLTP statement set (point select, the four range queries, UPDATE x2, DELETE, INSERT). */
export const SYSBENCH_STATEMENTS: readonly string[] = [
  "SELECT c FROM sbtest1 WHERE id=4242",
  "SELECT c FROM sbtest1 WHERE id BETWEEN 100 AND 199",
  "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 100 AND 199",
  "SELECT c FROM sbtest1 WHERE id BETWEEN 100 AND 199 ORDER BY c",
  "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 100 AND 199 ORDER BY c",
  "UPDATE sbtest1 SET k=k+1 WHERE id=4242",
  "UPDATE sbtest1 SET c='12345678901-23456789012' WHERE id=4242",
  "DELETE FROM sbtest1 WHERE id=4242",
  "INSERT INTO sbtest1 (id, k, c, pad) VALUES (4242, 5000, '12345678901-23456789012', '11111111111-22222')",
];
