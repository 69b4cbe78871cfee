// The highest IPNS sequence number seen per name, shared by a gateway's trustless sources: a
// source that answers with a lower one serves an older, superseded tree (a rollback), which a
// signature check alone cannot detect, since old records stay validly signed until their EOL.

/** Highest sequence seen per IPNS name (in memory, per process or Workers isolate). */
export type IpnsSequenceMemory = {
  /** The highest sequence seen for `name`, or undefined. */
  highest(name: string): bigint | undefined;
  /** Records that a valid record with `sequence` was seen for `name`. */
  saw(name: string, sequence: bigint): void;
};

/** A sequence memory of at most `maxNames` names (least recently updated names are dropped). */
export function createIpnsSequenceMemory(maxNames = 100_000): IpnsSequenceMemory {
  const highest = new Map<string, bigint>();
  return {
    highest: (name) => highest.get(name),
    saw(name, sequence) {
      const known = highest.get(name);
      if (known !== undefined && known >= sequence) return;
      highest.delete(name);
      highest.set(name, sequence);
      while (highest.size > maxNames) highest.delete(highest.keys().next().value as string);
    },
  };
}
