// Response rate limiting for UDP, so the bridge cannot be used as a DNS amplifier: a token bucket
// per client network (IPv4 /24, IPv6 /56), since one attacker spoofing a victim's address spreads
// over a prefix. TCP and DoH need a handshake (no spoofing) and are not limited here.
import { isIPv4 } from "node:net";

/** Settings: answers per second per prefix and the burst a bucket holds. */
export type RateLimitOptions = {
  /** Answers per second per prefix (0: no limit). */
  perSecond: number;
  /** Bucket size (answers a client may get at once). */
  burst: number;
  /** Buckets kept; the least recently seen are dropped past this. */
  maxBuckets?: number | undefined;
  /** Exempt loopback clients (a local stub resolver or benchmark); default true. */
  exemptLoopback?: boolean | undefined;
};

/** What to do with one answer: send it, send a truncated one (TC, "slip": a real client retries over TCP), or drop it. */
export type RateDecision = "send" | "slip" | "drop";

/** The prefix a client address is counted under: /24 for IPv4, /56 for IPv6. */
export function clientPrefix(address: string): string {
  if (isIPv4(address)) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return clientPrefix(mapped[1] as string);
  const groups = expandIPv6(address);
  // /56: the first three groups and the high byte of the fourth.
  return `${groups.slice(0, 3).join(":")}:${(groups[3] ?? "0").padStart(4, "0").slice(0, 2)}00::/56`;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase());
}

function isLoopback(address: string): boolean {
  return address === "::1" || /^(::ffff:)?127\./i.test(address);
}

/** A limiter: `decide(address)` takes one token from the client's bucket. */
export function createRateLimiter(options: RateLimitOptions, clock: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number; slipped: number }>();
  const maxBuckets = options.maxBuckets ?? 100_000;
  const exemptLoopback = options.exemptLoopback ?? true;
  return {
    decide(address: string): RateDecision {
      if (options.perSecond <= 0 || (exemptLoopback && isLoopback(address))) return "send";
      const prefix = clientPrefix(address);
      const time = clock();
      let bucket = buckets.get(prefix);
      if (bucket) buckets.delete(prefix);
      else bucket = { tokens: options.burst, at: time, slipped: 0 };
      bucket.tokens = Math.min(
        options.burst,
        bucket.tokens + ((time - bucket.at) / 1000) * options.perSecond,
      );
      bucket.at = time;
      buckets.set(prefix, bucket);
      if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return "send";
      }
      // Over the limit: every second answer slips out truncated, the others are dropped.
      bucket.slipped += 1;
      return bucket.slipped % 2 === 0 ? "slip" : "drop";
    },
  };
}
