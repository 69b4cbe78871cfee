// How commands talk to the user: results on stdout (human text, or one JSON object with --json),
// progress on stderr (so `--json` output stays machine-readable).

/** The output channel of one command run. */
export type Output = {
  /** A progress step on stderr ("[2/4] publishing…"); silent with --json. */
  step: (message: string) => void;
  /** The command's result: `lines` for people, `json` for scripts. */
  result: (lines: string[], json: unknown) => void;
};

/** Creates the output channel; `steps` is the number of progress steps, when known. */
export function createOutput({ json, steps }: { json: boolean; steps?: number }): Output {
  let current = 0;
  return {
    step(message) {
      if (json) return;
      current++;
      const counter = steps ? `[${current}/${steps}] ` : "";
      process.stderr.write(`${counter}${message}\n`);
    },
    result(lines, value) {
      if (json)
        process.stdout.write(
          `${JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v))}\n`,
        );
      else process.stdout.write(`${lines.join("\n")}\n`);
    },
  };
}
