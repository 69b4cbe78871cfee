// The did:ens driver: resolution on chain (viem clients, the UniversalResolver with CCIP-Read)
// and the DIF Universal Resolver HTTP API. It reads the chain, so it is not in lib/ (which has
// no I/O); the gateway mounts it only when ENSGATE_DID_NETWORKS is set. See docs/did.md.

export {
  DID_DRIVER_PATH_PREFIX,
  DID_ERROR_HTTP_STATUS,
  DID_RESOLUTION_LD_JSON,
  DID_RESOLUTION_MEDIA_TYPE,
  type DidResolve,
  handleDidRequest,
  resolveWithoutNetworks,
} from "./httpDriver.ts";
export { type DidNetworkSpec, KNOWN_ENS_CHAINS, parseDidNetworks } from "./networks.ts";
export { createDidResolve, type DidResolveOptions } from "./resolveOnChain.ts";
export { createViemEnsReader, type ViemEnsReaderOptions } from "./viemEnsReader.ts";
