// A command's options, declared once: each command file exports its options as a record of
// commander flags to help text (`{ "--rpc-port <port>": "JSON-RPC port" }`), and the options
// object its function receives is typed from those flags (`{ rpcPort?: string }`).
import type { Command } from "commander";

/** A command's options: commander flags -> help text. */
export type OptionSpecs = Readonly<Record<string, string>>;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type FlagName<F extends string> = F extends `--${infer Name} ${string}`
  ? CamelCase<Name>
  : F extends `--${infer Name}`
    ? CamelCase<Name>
    : never;
type FlagValue<F extends string> = F extends `${string}<${string}>` ? string : boolean;

/** The options object commander hands to an action for these flags. */
export type OptionsOf<S extends OptionSpecs> = {
  [F in keyof S & string as FlagName<F>]?: FlagValue<F>;
};

/** Adds the options to a command. */
export function withOptions(command: Command, specs: OptionSpecs): Command {
  for (const [flags, description] of Object.entries(specs)) command.option(flags, description);
  return command;
}
