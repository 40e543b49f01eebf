/** Joins topo path segments with `/`, dropping empty segments and duplicate slashes. */
export function joinPath(...parts: string[]): string {
  return parts.flatMap((p) => p.split("/")).filter((s) => s !== "").join("/");
}

/** Normalizes a root: leading slash, no trailing slash (`/vitess/global`). An empty root is `""`. */
export function normalizeRoot(root: string): string {
  const j = joinPath(root);
  return j === "" ? "" : `/${j}`;
}
