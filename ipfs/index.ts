// The IPFS layer: an embedded offline Helia node, a local path/subdomain/trustless HTTP gateway
// in front of it, and a Kubo RPC client for publishing to a real daemon. See docs/ipfs.md.

export {
  type ContentRoot,
  formatIpnsName,
  LIBP2P_KEY_CODEC,
  parseCid,
  parseContentRoot,
  parseIpnsName,
  splitIpfsPath,
} from "./contentRoot.ts";
export {
  createEmbeddedIpfs,
  type DirectoryChanges,
  type DirectoryFiles,
  type EmbeddedIpfs,
  type EmbeddedIpfsOptions,
  type IpfsReader,
  type PublishNameOptions,
} from "./embeddedIpfs.ts";
export {
  InvalidContentRootError,
  InvalidIpfsPathError,
  IpfsBlockNotFoundError,
  IpfsError,
  IpfsNotAFileError,
  IpfsReadError,
  IpfsWriteError,
  IpnsNotFoundError,
  IpnsPublishError,
  isKuboFileMissing,
  KuboRpcError,
  RemotePublishError,
} from "./errors.ts";
export {
  createKuboIpfs,
  type KuboIpfs,
  type KuboIpfsOptions,
  type KuboPublishOptions,
  toAddEntries,
  toGoDuration,
} from "./kuboRpc.ts";
export { openIpfsWriter } from "./openIpfsWriter.ts";
export {
  createPathGatewayHandler,
  type FetchHandler,
  IPNS_RECORD_CONTENT_TYPE,
  type PathGateway,
  type PathGatewayOptions,
  RAW_BLOCK_CONTENT_TYPE,
  startPathGateway,
} from "./pathGateway.ts";
export {
  CAR_MEDIA_TYPE,
  exportDagCar,
  IPNS_RECORD_MEDIA_TYPE,
  pinCar,
  putIpnsRecord,
} from "./remotePublish.ts";
export type { IpfsWriter } from "./writer.ts";
