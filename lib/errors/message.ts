import { EnsgateError } from "./base.ts";

/**
 * A v2 message (SIGN 3 with an epoch, SIGN 4 with freshness) asked for without the resolver it is
 * bound to. v2 records and approvals carry a `Resolver` line, so the resolver's address is required.
 */
export class MissingResolverError extends EnsgateError {
  override name = "MissingResolverError";
  constructor(message: "SIGN 3 (approval)" | "SIGN 4 (record)") {
    super(`A v2 ${message} message needs the resolver address (\`resolver\`).`, {
      details:
        "v2 records and approvals are bound to one resolver deployment by their `Resolver: eip155:<chainId>:<address>` line (docs/protocol.md §5). Pass the EnsgateResolver address the record is for, or omit the v2 fields (freshness / epoch) for a NameSys v1 message.",
    });
  }
}
