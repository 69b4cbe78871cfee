// The transparency log (docs/certificates.md, "Transparency log"): RFC 6962 hashing, the C2SP
// tlog-tiles layout, C2SP signed-note checkpoints, the ensgate entry format. Pure: runs on Node
// and Workers alike; reading and writing files is the caller's (client/, ca/).
export * from "./checkpoint.ts";
export * from "./errors.ts";
export * from "./hashing.ts";
export * from "./logEntry.ts";
export * from "./note.ts";
export * from "./proofs.ts";
export * from "./tileReader.ts";
export * from "./tiles.ts";
export * from "./treeEdge.ts";
