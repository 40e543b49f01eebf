import type { Command } from "../command.js";
import { cellCommands } from "./cells.js";
import { extraCommands } from "./extra.js";
import { keyspaceCommands } from "./keyspaces.js";
import { moreCommands } from "./more.js";
import { reparentCommands } from "./reparent.js";
import { schemaCommands } from "./schema.js";
import { tabletCommands } from "./tablets.js";

/** Every vtctldclient command, by Vitess name. */
export const commands: ReadonlyMap<string, Command> = new Map(
  [...cellCommands, ...keyspaceCommands, ...tabletCommands, ...schemaCommands, ...moreCommands, ...reparentCommands, ...extraCommands].map((c) => [c.name, c]),
);
