// Anchoring the transparency log on-chain (contracts/LogAnchor.sol, docs/certificates.md §9): at
// most once per interval the CA sends its latest checkpoint with a consistency proof from the
// anchored one, built from its own tiles. The contract accepts only a larger tree that extends the
// anchored tree, so the history everyone sees on-chain only grows and a forked log is caught by
// any auditor that compares (`ensgate log verify --anchor`).
import { type Address, bytesToHex, type PublicClient, parseAbi } from "viem";
import { readLogAnchor } from "../client/tlogAnchor.ts";
import { openLogSource } from "../client/tlogSource.ts";
import { openCheckpoint, parseVerifierKey, TileReader } from "../lib/tlog/index.ts";
import type { ContractWrite } from "./caService.ts";

const ANCHOR_ABI = parseAbi(["function anchor(uint64 newSize, bytes32 newRoot, bytes32[] proof)"]);

/** Default interval between anchors: five minutes (each anchor is a transaction). */
export const DEFAULT_ANCHOR_INTERVAL_MS = 300_000;

/** What the anchorer needs. */
export type LogAnchorerOptions = {
  anchor: Address;
  /** The log's directory and its verifier key (the checkpoint is verified before it is sent). */
  logDir: string;
  verifierKey: string;
  publicClient: PublicClient;
  /** Sends a transaction from the anchor's operator and waits for it. */
  write: ContractWrite;
  intervalMs?: number;
  log?: (line: string) => void;
};

/** `maybeAnchor()` anchors the latest checkpoint when the interval has passed and the log grew. */
export function createLogAnchorer(options: LogAnchorerOptions) {
  const interval = options.intervalMs ?? DEFAULT_ANCHOR_INTERVAL_MS;
  const source = openLogSource(options.logDir);
  const verifier = parseVerifierKey(options.verifierKey);
  let last = 0;
  return {
    /** Anchors now if due; returns the anchored size, or undefined when nothing was sent. */
    async maybeAnchor(now = Date.now()): Promise<number | undefined> {
      if (now - last < interval) return undefined;
      last = now;
      const note = await source("checkpoint");
      if (!note) return undefined;
      const checkpoint = openCheckpoint(new TextDecoder().decode(note), verifier);
      const anchored = await readLogAnchor(options.publicClient, options.anchor);
      if (checkpoint.size <= anchored.size) return undefined;
      const reader = new TileReader(source, checkpoint);
      const proof = anchored.size === 0 ? [] : await reader.consistencyProof(anchored.size);
      await options.write({
        address: options.anchor,
        abi: ANCHOR_ABI,
        functionName: "anchor",
        args: [
          BigInt(checkpoint.size),
          bytesToHex(checkpoint.root),
          proof.map((hash) => bytesToHex(hash)),
        ],
      });
      options.log?.(`log anchored on-chain at size ${checkpoint.size}`);
      return checkpoint.size;
    },
  };
}

export type LogAnchorer = ReturnType<typeof createLogAnchorer>;
