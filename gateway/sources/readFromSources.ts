import { describeError } from "../../lib/index.ts";
import type { RecordLocation, RecordSource } from "./recordSource.ts";

/** How sources are combined: all at once (first valid wins) or one after another. */
export type ReadStrategy = "race" | "ordered";

/** Timeouts of a multi-source read. */
export type ReadBudget = {
  /** Longest wait for one source, in ms. */
  perSourceTimeoutMs: number;
  /** Longest wait for the whole read, in ms. */
  totalBudgetMs: number;
  strategy: ReadStrategy;
};

/** A validator decides whether a file's bytes are acceptable; it returns the value or a rejection. */
export type ValidateFile<T> = (
  body: Uint8Array,
) => Promise<{ ok: true; value: T } | { ok: false; reason: string }>;

/** What a multi-source read found, most useful first. */
export type ReadOutcome<T> =
  | { status: "valid"; value: T; source: string }
  | { status: "missing"; sources: string[] }
  | { status: "rejected"; rejections: { source: string; reason: string }[] }
  | { status: "unavailable"; errors: { source: string; reason: string }[] };

/**
 * Reads one file from several sources and returns the first copy that `validate` accepts, so an
 * unverified file is never returned. A source that is down, hangs past its timeout or returns a
 * file that fails validation is skipped. Otherwise the result is `missing` (some source says the
 * file does not exist), `rejected` (copies exist and all failed validation), or `unavailable`.
 */
export async function readFromSources<T>(
  sources: readonly RecordSource[],
  location: RecordLocation,
  validate: ValidateFile<T>,
  budget: ReadBudget,
): Promise<ReadOutcome<T>> {
  const deadline = AbortSignal.timeout(budget.totalBudgetMs);
  const missing: string[] = [];
  const rejections: { source: string; reason: string }[] = [];
  const errors: { source: string; reason: string }[] = [];
  const winner = new AbortController();

  const tryOne = async (
    source: RecordSource,
  ): Promise<{ value: T; source: string } | undefined> => {
    const signal = AbortSignal.any([
      deadline,
      winner.signal,
      AbortSignal.timeout(budget.perSourceTimeoutMs),
    ]);
    try {
      const answer = await abortable(source.read(location, signal), signal);
      if (answer.status === "missing") {
        missing.push(source.name);
        return undefined;
      }
      const checked = await validate(answer.body);
      if (checked.ok) return { value: checked.value, source: source.name };
      rejections.push({ source: source.name, reason: checked.reason });
    } catch (error) {
      if (!winner.signal.aborted)
        errors.push({
          source: source.name,
          reason: signal.aborted ? "timed out" : describeError(error),
        });
    }
    return undefined;
  };

  let found: { value: T; source: string } | undefined;
  if (budget.strategy === "race") {
    found = await firstDefined(sources.map(tryOne));
  } else {
    for (const source of sources) {
      if (deadline.aborted) {
        errors.push({ source: source.name, reason: "skipped: total budget spent" });
        continue;
      }
      found = await tryOne(source);
      if (found) break;
    }
  }
  winner.abort();
  if (found) return { status: "valid", ...found };
  if (rejections.length > 0) return { status: "rejected", rejections };
  if (missing.length > 0) return { status: "missing", sources: missing };
  return { status: "unavailable", errors };
}

/** Resolves with the first promise that yields a value, or undefined once all have settled without one. */
function firstDefined<T>(promises: Promise<T | undefined>[]): Promise<T | undefined> {
  return new Promise((resolve) => {
    let pending = promises.length;
    if (pending === 0) resolve(undefined);
    for (const promise of promises)
      promise.then((value) => {
        if (value !== undefined) resolve(value);
        else if (--pending === 0) resolve(undefined);
      });
  });
}

/** Rejects as soon as `signal` aborts, even if the source ignores its signal (a hanging source). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
