// vtctldclient: the admin CLI (Vitess command names and flags) over vtctld's gRPC API.
// Composition root: wires process argv/stdout/stderr into runCli and exits with its code.
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
});
process.exitCode = code;
