// Compares src/uca-weights.ts against x/text on the strings written by uca-compare.go:
//   GO111MODULE=off GOPATH=/usr/share/gocode go run uca-compare.go > cmp.txt && npx tsx uca-compare.ts cmp.txt
import { readFileSync } from "node:fs";
import { loadUcaPrimaryTable } from "../src/uca-weights.ts";
const t = loadUcaPrimaryTable();
const bad = new Map<string, number>(); const tot = new Map<string, number>();
for (const line of readFileSync(process.argv[2]!, "utf8").trim().split("\n")) {
  const [b, s, k = ""] = line.split(" ");
  const bytes = Buffer.from(s!, "hex");
  let n = bytes.length; while (n > 0 && bytes[n - 1] === 0x20) n--;
  if (n !== bytes.length) continue;
  tot.set(b!, (tot.get(b!) ?? 0) + 1);
  const got = Buffer.from(t.weights(bytes)).toString("hex");
  if (got !== k) { bad.set(b!, (bad.get(b!) ?? 0) + 1); if ((bad.get(b!) ?? 0) <= 2) console.log(b, Buffer.from(s!, "hex").toString(), got, k); }
}
console.log([...tot].map(([b, n]) => `${b}:${bad.get(b) ?? 0}/${n}`).join(" "));
