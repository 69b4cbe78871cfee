import { EnsgateError } from "./base.ts";

/** Input to the deterministic key generation that NameSys KEYGEN cannot use. */
export class KeygenInputError extends EnsgateError {
  override name = "KeygenInputError";
  constructor(reason: string) {
    super(`Cannot derive keys: ${reason}.`);
  }
}
