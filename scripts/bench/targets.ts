// Targets of the benchmarks' figures, shared by every scripts/bench-*.ts: one rule for the pass
// flags and for `--json`'s `targets`, `pass` and `ok`.

/**
 * A figure's target: a lower (`min`) and/or upper (`max`) bound. An `informational` target gets a
 * pass flag but does not decide `ok`.
 */
export type Target = { min?: number; max?: number; informational?: boolean };

/** Whether `value` is within `target`'s bounds. */
export const meets = (value: number, target: Target): boolean =>
  (target.min === undefined || value >= target.min) &&
  (target.max === undefined || value <= target.max);

/** `>= min`, `<= max`, both, or "" for a figure without a target (report-only). */
export const describeTarget = (target: Target | undefined): string =>
  [
    target?.min === undefined ? "" : `>= ${target.min}`,
    target?.max === undefined ? "" : `<= ${target.max}`,
  ]
    .filter(Boolean)
    .join(", ");

/**
 * The figures with, next to their own keys (unchanged), `targets` (as given), `pass` (one flag
 * per figure that has a target) and `ok` (every non-informational flag is true; true when there
 * is no target).
 */
export function withTargets<
  F extends Record<string, unknown>,
  T extends { [K in keyof F]?: Target },
>(figures: F, targets: T): F & { targets: T; pass: { [K in keyof T]: boolean }; ok: boolean } {
  const entries = Object.entries(targets as Record<string, Target>);
  const pass = Object.fromEntries(
    entries.map(([key, target]) => {
      const value = figures[key];
      if (typeof value !== "number") throw new Error(`figure ${key} is not a number`);
      return [key, meets(value, target)];
    }),
  ) as { [K in keyof T]: boolean };
  const ok = entries.every(
    ([key, target]) => target.informational || (pass as Record<string, boolean>)[key],
  );
  return { ...figures, targets, pass, ok };
}
