// @vt/flags: Vitess-style command-line flags for the apps' composition roots (dashes == underscores).
export { parseFlags, flagUsage, type FlagSpec, type FlagValues } from "./flags.js";
