// The CA's transparency log writer: appends entries (issued certificates, revocations) to a
// C2SP tlog-tiles log kept as static files in a directory that any HTTP server or IPFS can
// serve. Pending entries are sequenced in batches at least once a second (or on `publish()`):
// the batch's tiles and entry bundles are written first, each to a temporary file renamed into
// place, and the signed checkpoint last, so a reader never sees a checkpoint whose tiles are not
// there. An append resolves with the entries' log indexes once that checkpoint is on disk.
// This file depends on nothing else in ca/: the issuance and revocation code calls it.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  appendToEdge,
  CHECKPOINT_PATH,
  type Checkpoint,
  decodeEntryBundle,
  decodeTile,
  EMPTY_EDGE,
  EMPTY_TREE_ROOT,
  edgeRoot,
  entryBundlePath,
  equalHashes,
  type LogFile,
  MAX_ENTRY_SIZE,
  type NoteSigner,
  openCheckpoint,
  parseSignerKey,
  partialTiles,
  signCheckpoint,
  TILE_WIDTH,
  TlogError,
  TlogTileHashMismatchError,
  type TreeEdge,
  tilePath,
} from "../lib/tlog/index.ts";

/** How the writer is set up. */
export type TransparencyLogOptions = {
  /** The directory the log's static files live in (created if missing). */
  dir: string;
  /** The log's Ed25519 note signer key (`PRIVATE+KEY+<origin>+...`); its name is the origin. */
  signerKey: string;
  /** Pending entries are sequenced at least this often (default 1000 ms); 0 turns the timer off. */
  sequenceIntervalMs?: number;
  /** Whether each file is fsynced before it is renamed into place (default true). */
  durable?: boolean;
};

type Pending = {
  entries: Uint8Array[];
  resolve: (indexes: number[]) => void;
  reject: (error: unknown) => void;
};

/** A transparency log in a directory, open for appending. */
export class TransparencyLog {
  readonly dir: string;
  readonly origin: string;
  readonly #signer: NoteSigner;
  readonly #durable: boolean;
  #edge: TreeEdge;
  #checkpoint: string;
  #pending: Pending[] = [];
  #publishing: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  private constructor(
    options: TransparencyLogOptions,
    signer: NoteSigner,
    edge: TreeEdge,
    checkpoint: string,
  ) {
    this.dir = options.dir;
    this.origin = signer.name;
    this.#signer = signer;
    this.#durable = options.durable ?? true;
    this.#edge = edge;
    this.#checkpoint = checkpoint;
    const interval = options.sequenceIntervalMs ?? 1000;
    if (interval > 0) {
      this.#timer = setInterval(() => {
        if (this.#pending.length > 0) this.publish().catch(() => {});
      }, interval);
      this.#timer.unref();
    }
  }

  /**
   * Opens the log in `dir`, or creates it (with a checkpoint of the empty tree). An existing log
   * is resumed from its checkpoint, which must be signed by this key, and from its right edge
   * (partial tiles and entry bundle), which must hash to the checkpoint's root.
   */
  static async open(options: TransparencyLogOptions): Promise<TransparencyLog> {
    const signer = parseSignerKey(options.signerKey);
    await mkdir(options.dir, { recursive: true });
    const note = await readOptional(join(options.dir, CHECKPOINT_PATH));
    if (note === undefined) {
      const empty = signCheckpoint({ origin: signer.name, size: 0, root: EMPTY_TREE_ROOT }, signer);
      await writeAtomic(
        join(options.dir, CHECKPOINT_PATH),
        new TextEncoder().encode(empty),
        options.durable ?? true,
      );
      return new TransparencyLog(options, signer, EMPTY_EDGE, empty);
    }
    const text = new TextDecoder().decode(note);
    const checkpoint = openCheckpoint(text, signer);
    const edge = await readEdge(options.dir, checkpoint);
    return new TransparencyLog(options, signer, edge, text);
  }

  /** The number of entries in the latest checkpoint. */
  get size(): number {
    return this.#edge.size;
  }

  /** The latest signed checkpoint (a C2SP signed note), as published at `<dir>/checkpoint`. */
  checkpoint(): string {
    return this.#checkpoint;
  }

  /**
   * Queues entries for the next sequencing; resolves with their log indexes (consecutive, in
   * order) once a checkpoint including them is published, or rejects if that publication fails.
   */
  appendEntries(entries: readonly Uint8Array[]): Promise<number[]> {
    if (this.#closed) return Promise.reject(new TlogError("The transparency log is closed."));
    for (const entry of entries)
      if (entry.length > MAX_ENTRY_SIZE)
        return Promise.reject(
          new TlogError(`A log entry is at most ${MAX_ENTRY_SIZE} bytes, not ${entry.length}.`),
        );
    if (entries.length === 0) return Promise.resolve([]);
    // Pending entries keep the process alive until they are sequenced (an idle log does not).
    this.#timer?.ref();
    return new Promise((resolve, reject) => {
      this.#pending.push({ entries: [...entries], resolve, reject });
    });
  }

  /** Sequences every pending entry now; resolves with the checkpoint published (or the current one). */
  publish(): Promise<Checkpoint & { note: string }> {
    const run = this.#publishing.then(() => this.#sequence());
    this.#publishing = run.catch(() => {});
    return run;
  }

  async #sequence(): Promise<Checkpoint & { note: string }> {
    const batch = this.#pending;
    this.#pending = [];
    this.#timer?.unref();
    const entries = batch.flatMap((pending) => pending.entries);
    try {
      const { edge, files, root } = appendToEdge(this.#edge, entries);
      const checkpoint = { origin: this.origin, size: edge.size, root };
      if (entries.length > 0) {
        const note = signCheckpoint(checkpoint, this.#signer);
        await Promise.all(
          files.map((file) => writeAtomic(join(this.dir, file.path), file.bytes, this.#durable)),
        );
        await writeAtomic(
          join(this.dir, CHECKPOINT_PATH),
          new TextEncoder().encode(note),
          this.#durable,
        );
        const first = this.#edge.size;
        this.#edge = edge;
        this.#checkpoint = note;
        let next = first;
        for (const pending of batch) {
          pending.resolve(pending.entries.map((_, offset) => next + offset));
          next += pending.entries.length;
        }
        await this.#pruneFilledPartials(files);
      }
      return { ...checkpoint, note: this.#checkpoint };
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      throw error;
    }
  }

  /**
   * Once a full tile or bundle is published, its partial versions are no longer needed (the spec
   * lets a log delete them; readers fall back to the full tile). Best effort: a leftover partial
   * tile is harmless.
   */
  async #pruneFilledPartials(files: readonly LogFile[]): Promise<void> {
    const filled = files.filter((file) => !file.path.includes(".p/"));
    await Promise.all(
      filled.map((file) =>
        rm(join(this.dir, `${file.path}.p`), { recursive: true, force: true }).catch(() => {}),
      ),
    );
  }

  /** Publishes what is pending and stops the sequencing timer; later appends are refused. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.publish().catch(() => {});
    this.#closed = true;
  }
}

/** The right edge of the log at the checkpoint's size, read from the directory and checked. */
async function readEdge(dir: string, checkpoint: Checkpoint): Promise<TreeEdge> {
  const { size } = checkpoint;
  const levels: Uint8Array[][] = [];
  for (let level = 0; TILE_WIDTH ** level <= size; level++) levels[level] = [];
  for (const tile of partialTiles(size)) {
    const path = tilePath(tile);
    const bytes = await readOptional(join(dir, path));
    if (bytes === undefined)
      throw new TlogTileHashMismatchError(path, "the checkpoint's partial tile is missing");
    levels[tile.level] = decodeTile(path, bytes, tile.width);
  }
  while (levels.length > 0 && levels.at(-1)?.length === 0) levels.pop();
  let bundle: Uint8Array[] = [];
  const width = size % TILE_WIDTH;
  if (width > 0) {
    const path = entryBundlePath(Math.floor(size / TILE_WIDTH), width);
    const bytes = await readOptional(join(dir, path));
    if (bytes === undefined)
      throw new TlogTileHashMismatchError(path, "the checkpoint's partial entry bundle is missing");
    bundle = decodeEntryBundle(path, bytes, width);
  }
  if (!equalHashes(edgeRoot({ size, levels }), checkpoint.root))
    throw new TlogTileHashMismatchError(
      dir,
      `the partial tiles do not hash to the checkpoint's root (size ${size})`,
    );
  return { size, levels, bundle };
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Writes a file by a temporary file renamed into place (fsynced first when `durable`). */
async function writeAtomic(path: string, bytes: Uint8Array, durable: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await open(temporary, "w", 0o644);
    try {
      await handle.writeFile(bytes);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
