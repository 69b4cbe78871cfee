// The ensgate resolver's custom errors in words, for people: what a wallet or the web app shows
// instead of a revert. Keyed by the error's name; the arguments are the decoded ones, in order.

type Args = readonly unknown[];

/** A unix time in seconds as an ISO date. */
const formatUnixSeconds = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();

const SENTENCES: Record<string, (args: Args) => string> = {
  InvalidRecordSignature: () =>
    "the record's signature does not match its content: it was changed after it was signed, or signed for another name, resolver or chain",
  UnapprovedSigner: ([signer]) =>
    `the record was signed by ${signer}, which the name's owner has not approved (no valid SIGN 3 approval and no on-chain approval)`,
  InvalidApproval: () => "the owner's approval of the record's signer is not valid",
  StaleEpoch: ([recordEpoch, currentEpoch]) =>
    `the record was signed under epoch ${recordEpoch}, but the name is at epoch ${currentEpoch}: the owner bumped the epoch and the record must be signed again`,
  FutureEpoch: ([recordEpoch, currentEpoch]) =>
    `the record claims epoch ${recordEpoch}, ahead of the name's epoch ${currentEpoch}`,
  RecordExpired: ([validUntil]) =>
    `the record expired at ${formatUnixSeconds(validUntil)}: its owner must sign it again`,
  LookupExpired: ([deadline]) =>
    `the gateway's answer arrived after its deadline (${formatUnixSeconds(deadline)}): try again`,
  MalformedRecord: () => "the gateway's answer is not a well-formed ensgate record",
  InvalidResult: () => "the record's value is not valid for its type",
  InvalidLookup: () => "the gateway's answer does not belong to this lookup",
  InvalidRecordCall: () => "the resolver does not understand this record request",
  InvalidRecordhash: () => "the name's recordhash is not a valid IPFS or IPNS pointer",
  CertificateOwnerChanged: ([certifiedOwner, currentOwner]) =>
    `the certificate record was issued to ${certifiedOwner}, but the name is now owned by ${currentOwner}`,
  InvalidCertificateAuthority: () =>
    "the certificate record is not signed by the resolver's certificate authority",
  NameNotFound: () => "the name is not registered: no name on its path has an owner",
  NameExpired: ([expiredAt]) => `the name's registration ended at ${formatUnixSeconds(expiredAt)}`,
  InvalidDnsName: () =>
    "the name is not one the resolver accepts (labels of 1 to 63 bytes, 255 in all)",
  UnsupportedResolverFunction: ([selector]) =>
    `the resolver does not answer this record type (function ${selector})`,
  OwnableUnauthorizedAccount: ([account]) =>
    `${account} is not allowed to do this: only the contract's owner is`,
};

/** One sentence for a resolver custom error; a generic one naming the error when unknown. */
export function describeResolverError(errorName: string, args: Args = []): string {
  const sentence = SENTENCES[errorName];
  return sentence ? sentence(args) : `the resolver refused with ${errorName}(${args.join(", ")})`;
}
