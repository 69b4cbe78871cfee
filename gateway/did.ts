// Moved to the did/ module (the did:ens driver the gateway mounts when configured). This
// re-export stays until the CLI (`ensgate did`) and the local stack import did/ directly.
export {
  createDidResolve,
  type DidNetworkSpec,
  type DidResolveOptions,
  KNOWN_ENS_CHAINS,
  parseDidNetworks,
} from "../did/index.ts";
