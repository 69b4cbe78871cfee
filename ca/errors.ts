import { EnsgateError } from "../lib/index.ts";

/** A certificate authority failure the operator can fix (CA folder, keys, configuration). */
export class CaError extends EnsgateError {
  override name = "CaError";
}
