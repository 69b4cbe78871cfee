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
  BlockMismatchError,
  InvalidContentRootError,
  InvalidEditError,
  InvalidIpfsPathError,
  InvalidIpnsRecordError,
  IpfsBlockNotFoundError,
  IpfsError,
  IpfsNotAFileError,
  IpfsReadError,
  IpfsWriteError,
  IpnsNotFoundError,
  IpnsPublishError,
  IpnsRecordRollbackError,
  IpnsSequenceConflictError,
  isKuboFileMissing,
  KuboRpcError,
  PinRejectedError,
  RemotePublishError,
} from "./errors.ts";
export { verifyIpnsRecord } from "./ipnsRecords.ts";
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
  type KuboPublishTarget,
  type PublishEdit,
  type PublishEditsParameters,
  type PublishEditsResult,
  type PublishEditsTarget,
  publishEdits,
  type RemotePublishTarget,
} from "./publishEdits.ts";
export {
  createPublishEndpoints,
  type PublishEndpoints,
  type PublishEndpointsStore,
  startPublishEndpoints,
} from "./publishEndpoints.ts";
export {
  CAR_MEDIA_TYPE,
  exportDagCar,
  fetchIpnsRecord,
  fetchRawBlock,
  IPNS_RECORD_MEDIA_TYPE,
  pinCar,
  putIpnsRecord,
  putIpnsRecordChecked,
  RAW_BLOCK_MEDIA_TYPE,
} from "./remotePublish.ts";
export type { IpfsWriter } from "./writer.ts";
