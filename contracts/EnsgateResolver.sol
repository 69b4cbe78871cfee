// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IEnsgateGateway} from "./interfaces/IEnsgateGateway.sol";
import {IEnsgateResolver} from "./interfaces/IEnsgateResolver.sol";
import {IENSRegistryOwner, INameWrapperOwner} from "./interfaces/IEnsOwnership.sol";
import {IExtendedResolver} from "./interfaces/IExtendedResolver.sol";
import {IRecordReads} from "./interfaces/IRecordReads.sol";
import {EnsgateEncoding} from "./libraries/EnsgateEncoding.sol";
import {EnsgateGatewayList} from "./libraries/EnsgateGatewayList.sol";

/// @title ensgate resolver: ENS records on IPNS, read with CCIP-Read, verified on-chain
/// @notice ENSIP-10 wildcard resolver. `resolve()` reverts with an EIP-3668 `OffchainLookup`
///         pointing at public IPFS gateways (the static record file under the recordhash's
///         `.well-known` folder) and at gateway services; `resolveCallback()` verifies the record
///         file's signatures exactly as the core library's `verifyRecord` does (same order, one
///         custom error per rejection reason) and returns the answer.
/// @dev See docs/resolver.md for the callData/extraData formats and the gas figures.
contract EnsgateResolver is IExtendedResolver, IERC165, IEnsgateResolver, Ownable2Step {
    using EnsgateEncoding for uint256;

    // ----------------------------------------------------------------------------------------
    // Constants
    // ----------------------------------------------------------------------------------------

    /// @notice Seconds a lookup stays valid: the callback rejects it afterwards (`LookupExpired`).
    uint256 public constant LOOKUP_TTL = 5 minutes;

    /// @dev Prefix of a full IPNS (ed25519, identity multihash) contenthash: the key follows.
    bytes10 private constant IPNS_ED25519_PREFIX = 0xe5010172002408011220;

    /// @dev Response selectors: `signedRecord(address,bytes,bytes,bytes)` and
    ///      `signedRecordV2(address,bytes,bytes,bytes,uint64,uint64)`.
    bytes4 private constant SIGNED_RECORD_V1 = 0x2b45eb2b;
    bytes4 private constant SIGNED_RECORD_V2 = 0xd8b7ec23;

    /// @dev How a request's stored result is shaped (what the callback checks and answers).
    uint8 private constant KIND_STRING = 0; // text, name
    uint8 private constant KIND_BYTES = 1; // contenthash, zonehash, dnsRecord, addr(node, coinType != 60)
    uint8 private constant KIND_ADDRESS = 2; // addr(node), interfaceImplementer
    uint8 private constant KIND_ETH_MULTICOIN = 3; // addr(node, 60): stored address, answered as bytes
    uint8 private constant KIND_PUBKEY = 4; // pubkey
    uint8 private constant KIND_ABI = 5; // ABI(node, contentTypes)

    /// @dev The IPNS contenthash prefix as a number (`resolve()`'s hand-made encoding).
    uint256 private constant IPNS_ED25519_PREFIX_WORD = 0xe5010172002408011220;

    /// @dev Selectors written by `resolve()`'s hand-made ABI encoding: `OffchainLookup(address,
    ///      string[],bytes,bytes4,bytes)`, `IEnsgateGateway.resolveOffchain(...)`, the registry's
    ///      `owner(bytes32)` and the NameWrapper's `ownerOf(uint256)`.
    uint256 private constant OFFCHAIN_LOOKUP_SELECTOR = 0x556f1830;
    uint256 private constant RESOLVE_OFFCHAIN_SELECTOR = 0x0a3636ea;
    uint256 private constant REGISTRY_OWNER_SELECTOR = 0x02571be3;
    uint256 private constant WRAPPER_OWNER_OF_SELECTOR = 0x6352211e;

    /// @dev One in every byte, and the high bit of every byte (word-parallel byte tests).
    uint256 private constant ONES = 0x0101010101010101010101010101010101010101010101010101010101010101;
    uint256 private constant HIGHS = 0x8080808080808080808080808080808080808080808080808080808080808080;

    /// @dev Minimum approval size meaning "an off-chain approval is attached" (as NameSys).
    uint256 private constant MIN_APPROVAL_SIGNATURE_SIZE = 64;

    /// @dev The certificate record types (lib/certs/certificateRecordTypes.ts
    ///      `isCertificateRecordRequest`): text key `org.ensgate.tls.chain` (21 bytes), and
    ///      `dnsRecord` of resource 52 (TLSA) for any owner name.
    bytes21 private constant CERTIFICATE_CHAIN_TEXT_KEY = "org.ensgate.tls.chain";
    uint256 private constant DNS_RESOURCE_TLSA = 52;

    // ----------------------------------------------------------------------------------------
    // Storage
    // ----------------------------------------------------------------------------------------

    /// @notice The ENS registry.
    IENSRegistryOwner public immutable ens;
    /// @notice The NameWrapper: a registry owner equal to it means "ask `ownerOf`".
    INameWrapperOwner public immutable nameWrapper;

    /// @dev Per-node state read by `resolve()` in one slot.
    struct NodeConfig {
        uint64 epoch;
        address gateways; // owner's IPFS gateway prefixes (data contract), or zero for the defaults
        uint32 gatewaysSize;
    }

    /// @dev The admin's default lists (data contract), one slot.
    struct DefaultGateways {
        address pointer;
        uint32 size;
    }

    mapping(bytes32 node => bytes32 ipnsKey) private _recordKeys;
    mapping(address owner => bytes32 ipnsKey) private _ownerRecordKeys;
    mapping(bytes32 node => NodeConfig) private _nodes;
    mapping(address owner => mapping(bytes32 node => mapping(address signer => bool))) private _approvals;
    DefaultGateways private _defaults;

    /// @dev The certificate authority: its records signer and epoch (one slot), and its IPNS key.
    struct CertificateAuthority {
        address signer;
        uint64 epoch;
    }

    CertificateAuthority private _certificateAuthority;
    bytes32 private _certificateAuthorityKey;

    /// @dev What `resolve()` hands to `resolveCallback()` (after the check hash) in `extraData`.
    struct Lookup {
        uint256 deadline;
        uint256 kind;
        address owner;
        bytes32 ownerNode;
        uint256 epoch;
        uint256 contentTypes; // ABI requests: the requested bitmask
        bytes name; // dotted name: SIGN 3/4 `Origin`
        bytes recordType; // SIGN 4 `Record Type` (ABI: built from the result's content type)
    }

    /// @dev Where a name's records live and who signs them.
    struct Target {
        address owner;
        bytes32 ownerNode;
        bytes32 key; // ed25519 IPNS key of the recordhash (zero: none)
        uint256 epoch;
        address gateways;
        uint256 gatewaysSize;
    }

    /// @dev The signed fields of a record besides its signatures and result.
    struct Signed {
        bool v2;
        address signer;
        uint256 validUntil;
        uint256 epoch; // 0 for v1
    }

    /// @dev A parsed inner call.
    struct Request {
        uint256 kind;
        uint256 contentTypes;
        bytes recordType; // SIGN 4 `Record Type` = file path without `.json` (ABI: empty, per result)
        bool urlSafe; // false when the record type holds `?`, `#`, `%` or `\`
        bool certificate; // a certificate record type: answered from the CA's tree only
    }

    /// @param ens_ The ENS registry.
    /// @param nameWrapper_ The NameWrapper (zero on chains without one).
    /// @param admin The admin (Ownable2Step owner) managing the default gateway lists.
    /// @param ipfsGateways Default IPFS gateway URL prefixes, e.g. `https://ipfs.io` (no trailing `/`).
    /// @param gatewayServices Gateway-service URL templates (EIP-3668 `{sender}`/`{data}`).
    constructor(
        IENSRegistryOwner ens_,
        INameWrapperOwner nameWrapper_,
        address admin,
        string[] memory ipfsGateways,
        string[] memory gatewayServices
    ) Ownable(admin) {
        ens = ens_;
        nameWrapper = nameWrapper_;
        _setDefaultGateways(ipfsGateways, gatewayServices);
    }

    // ----------------------------------------------------------------------------------------
    // ERC-165
    // ----------------------------------------------------------------------------------------

    /// @notice ERC-165: the extended resolver (0x9061b923), ERC-7996 `supportsFeature`
    ///         (0x582de3e7) and ERC-165 itself (0x01ffc9a7).
    /// @param interfaceId The interface id.
    /// @return Whether it is supported.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IExtendedResolver).interfaceId || interfaceId == type(IERC165).interfaceId
            || interfaceId == 0x582de3e7;
    }

    /// @notice ERC-7996 (ENSIP-22): no optional feature, so a UniversalResolver splits
    ///         `resolve(name, multicall(...))` into one lookup per record (docs/resolver.md).
    /// @return Always false.
    function supportsFeature(bytes4) external pure returns (bool) {
        return false;
    }

    // ----------------------------------------------------------------------------------------
    // ENSIP-10 resolve
    // ----------------------------------------------------------------------------------------

    /// @notice ENSIP-10: reverts with `OffchainLookup` for the record `data` asks of `name`, or
    ///         returns the empty answer when neither the name nor its owner has a recordhash.
    /// @param name The DNS wire-format name.
    /// @param data The inner resolver call (text, addr, contenthash, pubkey, name,
    ///        interfaceImplementer, ABI, zonehash, dnsRecord).
    /// @return The ABI-encoded empty answer (only when no recordhash is set).
    function resolve(bytes calldata name, bytes calldata data) external view returns (bytes memory) {
        Request memory request = _parseRequest(data);
        uint256[] memory labels = _parseName(name);
        Target memory target = request.certificate ? _certificateTarget() : _locate(name, labels);
        if (target.key == 0) return _emptyAnswer(request.kind);
        _revertWithLookup(name, data, labels, request, target);
    }

    /// @notice EIP-3668 callback: verifies the record file's `data` and returns the answer.
    /// @dev Order (= lib/recordFile/verifyRecord.ts): decode; result well-formed; v2 expiry; epoch;
    ///      SIGN 4; signer is the owner, approved on-chain, or approved by the owner's SIGN 3.
    ///      Empty `response` means "record not set" and returns the empty answer: a gateway can
    ///      hide a record that way, never forge one.
    /// @param response The record file's `data`, or empty bytes.
    /// @param extraData The `extraData` of the lookup (check hash ‖ abi.encode(Lookup)).
    /// @return The ABI-encoded answer of the inner call.
    function resolveCallback(bytes calldata response, bytes calldata extraData) external view returns (bytes memory) {
        Lookup memory lookup = _openLookup(extraData);
        if (response.length == 0) return _emptyAnswer(lookup.kind);

        // 1. Decode.
        if (response.length < 4) revert MalformedRecord();
        bytes4 selector = bytes4(response[:4]);
        Signed memory signed;
        signed.v2 = selector == SIGNED_RECORD_V2;
        if (!signed.v2 && selector != SIGNED_RECORD_V1) revert MalformedRecord();
        bytes calldata body = response[4:];
        if (body.length < (signed.v2 ? 192 : 128)) revert MalformedRecord();
        _field(body, 1);
        _field(body, 2);
        bytes calldata result = _field(body, 3);
        signed.signer = address(uint160(uint256(bytes32(body[:32]))));

        // 2. Result well-formed (ABI: names the content type the record type is built from).
        uint256 contentType = _checkResult(lookup.kind, lookup.contentTypes, result);
        if (lookup.kind == KIND_ABI) lookup.recordType = abi.encodePacked("abi/", EnsgateEncoding.decimal(contentType));

        // 3. Freshness: v2 expiry, then epoch (v1 records count as epoch 0).
        if (signed.v2) {
            signed.validUntil = uint256(bytes32(body[128:160]));
            signed.epoch = uint256(bytes32(body[160:192]));
            if (block.timestamp > signed.validUntil) revert RecordExpired(signed.validUntil);
        }
        if (signed.epoch < lookup.epoch) revert StaleEpoch(signed.epoch, lookup.epoch);
        if (signed.epoch > lookup.epoch) revert FutureEpoch(signed.epoch, lookup.epoch);

        // 4. SIGN 4 by the claimed signer.
        if (!_isSignedBy(_recordDigest(lookup, keccak256(result), signed), _field(body, 1), signed.signer)) {
            revert InvalidRecordSignature();
        }

        // 5. Signer rule: owner, on-chain approval, off-chain (SIGN 3) approval.
        if (signed.signer != lookup.owner && !_approvals[lookup.owner][lookup.ownerNode][signed.signer]) {
            bytes calldata approvalSignature = _field(body, 2);
            if (approvalSignature.length < MIN_APPROVAL_SIGNATURE_SIZE) revert UnapprovedSigner(signed.signer);
            if (!_isSignedBy(_approvalDigest(lookup, signed), approvalSignature, lookup.owner)) revert InvalidApproval();
        }
        return _answer(lookup.kind, result);
    }

    // ----------------------------------------------------------------------------------------
    // Owner setters
    // ----------------------------------------------------------------------------------------

    /// @notice Sets the recordhash of `node` (records of the node and its wildcard subnames).
    /// @param node The ENS node; the caller must own it (registry or NameWrapper).
    /// @param newRecordhash Empty to clear, a 32-byte ed25519 IPNS key, or the full IPNS contenthash.
    function setRecordhash(bytes32 node, bytes calldata newRecordhash) external {
        _checkNodeOwner(node);
        bytes32 key = _parseRecordhash(newRecordhash);
        _recordKeys[node] = key;
        emit RecordhashChanged(node, _formatRecordhash(key));
    }

    /// @notice Sets the caller's wallet-wide recordhash: used for every name the caller owns that
    ///         has no recordhash of its own.
    /// @param newRecordhash Empty to clear, a 32-byte ed25519 IPNS key, or the full IPNS contenthash.
    function setOwnerRecordhash(bytes calldata newRecordhash) external {
        bytes32 key = _parseRecordhash(newRecordhash);
        _ownerRecordKeys[msg.sender] = key;
        emit OwnerRecordhashChanged(msg.sender, _formatRecordhash(key));
    }

    /// @notice Approves or revokes `signer` to sign records of `node` and its wildcard subnames.
    ///         The approval belongs to the current owner: it lapses when the name changes hands.
    /// @param node The ENS node; the caller must own it.
    /// @param signer The records signer.
    /// @param approved True to approve, false to revoke.
    function approve(bytes32 node, address signer, bool approved) external {
        address owner = _checkNodeOwner(node);
        _approvals[owner][node][signer] = approved;
        emit SignerApprovalChanged(node, owner, signer, approved);
    }

    /// @notice Raises the epoch of `node`: every v1 record, every v2 record and v2 approval signed
    ///         under an earlier epoch is rejected from now on.
    /// @param node The ENS node; the caller must own it.
    function bumpEpoch(bytes32 node) external {
        _checkNodeOwner(node);
        uint64 epoch = _nodes[node].epoch + 1;
        _nodes[node].epoch = epoch;
        emit EpochBumped(node, epoch);
    }

    /// @notice Chooses the IPFS gateway URL prefixes used for `node` (instead of the defaults).
    /// @param node The ENS node; the caller must own it.
    /// @param gateways URL prefixes such as `https://ipfs.io` (no trailing `/`); empty for the defaults.
    function setGateways(bytes32 node, string[] calldata gateways) external {
        _checkNodeOwner(node);
        address pointer;
        uint32 size;
        // Deploys our own data contract (no foreign code runs), then records its address.
        if (gateways.length != 0) (pointer, size) = EnsgateGatewayList.store(EnsgateGatewayList.encode(gateways, new string[](0)));
        NodeConfig storage config = _nodes[node];
        config.gateways = pointer;
        config.gatewaysSize = size;
        emit GatewaysChanged(node, gateways);
    }

    // ----------------------------------------------------------------------------------------
    // Admin
    // ----------------------------------------------------------------------------------------

    /// @notice Sets the default IPFS gateway URL prefixes and the gateway-service URL templates.
    /// @param ipfsGateways URL prefixes such as `https://ipfs.io` (no trailing `/`).
    /// @param gatewayServices EIP-3668 URL templates such as `https://gw.example/{sender}/{data}.json`.
    function setDefaultGateways(string[] calldata ipfsGateways, string[] calldata gatewayServices) external onlyOwner {
        _setDefaultGateways(ipfsGateways, gatewayServices);
    }

    /// @notice Sets the certificate authority whose tree answers the certificate record types
    ///         (text `org.ensgate.tls.chain` and TLSA, `dnsRecord` resource 52) of every name.
    ///         Those lookups never go to the owner's tree, and the CA's signer is accepted for
    ///         nothing else. The CA's epoch is kept; a zero signer with an empty recordhash clears
    ///         the CA (certificate lookups then answer empty).
    /// @param caSigner The CA's records signer: it plays the owner in the callback's rules.
    /// @param caRecordhash The CA's IPNS tree: a 32-byte ed25519 IPNS key or the full IPNS contenthash.
    function setCertificateAuthority(address caSigner, bytes calldata caRecordhash) external onlyOwner {
        bytes32 key = _parseRecordhash(caRecordhash);
        if ((caSigner == address(0)) != (key == 0)) revert InvalidCertificateAuthority();
        _certificateAuthority.signer = caSigner;
        _certificateAuthorityKey = key;
        emit CertificateAuthorityChanged(caSigner, _formatRecordhash(key), _certificateAuthority.epoch);
    }

    /// @notice Raises the CA's epoch: every certificate record the CA signed under an earlier
    ///         epoch is rejected from now on (`StaleEpoch`).
    function bumpCertificateAuthorityEpoch() external onlyOwner {
        uint64 epoch = _certificateAuthority.epoch + 1;
        _certificateAuthority.epoch = epoch;
        emit CertificateAuthorityEpochBumped(epoch);
    }

    function _setDefaultGateways(string[] memory ipfsGateways, string[] memory gatewayServices) private {
        (address pointer, uint32 size) = EnsgateGatewayList.store(EnsgateGatewayList.encode(ipfsGateways, gatewayServices));
        _defaults = DefaultGateways(pointer, size);
        emit DefaultGatewaysChanged(ipfsGateways, gatewayServices);
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice The recordhash set on `node` (full IPNS contenthash), or empty.
    /// @param node The ENS node.
    /// @return The recordhash.
    function recordhash(bytes32 node) external view returns (bytes memory) {
        return _formatRecordhash(_recordKeys[node]);
    }

    /// @notice The wallet-wide recordhash of `owner` (full IPNS contenthash), or empty.
    /// @param owner The owner address.
    /// @return The recordhash.
    function ownerRecordhash(address owner) external view returns (bytes memory) {
        return _formatRecordhash(_ownerRecordKeys[owner]);
    }

    /// @notice The current epoch of `node`.
    /// @param node The ENS node.
    /// @return The epoch.
    function epochOf(bytes32 node) external view returns (uint64) {
        return _nodes[node].epoch;
    }

    /// @notice Whether `owner` approved `signer` on-chain for `node`.
    /// @param owner The owner who approved.
    /// @param node The ENS node.
    /// @param signer The records signer.
    /// @return The approval.
    function isApprovedSigner(address owner, bytes32 node, address signer) external view returns (bool) {
        return _approvals[owner][node][signer];
    }

    /// @notice The IPFS gateway prefixes the owner of `node` chose (empty: defaults apply).
    /// @param node The ENS node.
    /// @return gateways The prefixes.
    function gatewaysOf(bytes32 node) external view returns (string[] memory gateways) {
        NodeConfig memory config = _nodes[node];
        if (config.gateways == address(0)) return new string[](0);
        (gateways,) = EnsgateGatewayList.decode(EnsgateGatewayList.load(config.gateways, config.gatewaysSize));
    }

    /// @notice The admin's default lists.
    /// @return ipfsGateways The IPFS gateway URL prefixes.
    /// @return gatewayServices The gateway-service URL templates.
    function defaultGateways() external view returns (string[] memory ipfsGateways, string[] memory gatewayServices) {
        DefaultGateways memory defaults = _defaults;
        return EnsgateGatewayList.decode(EnsgateGatewayList.load(defaults.pointer, defaults.size));
    }

    /// @notice The certificate authority.
    /// @return signer The CA's records signer (zero: no CA).
    /// @return caRecordhash The CA's IPNS tree (full IPNS contenthash), or empty.
    /// @return epoch The CA's epoch.
    function certificateAuthority() external view returns (address signer, bytes memory caRecordhash, uint64 epoch) {
        CertificateAuthority memory ca = _certificateAuthority;
        return (ca.signer, _formatRecordhash(_certificateAuthorityKey), ca.epoch);
    }

    /// @notice The owner whose signatures count for `node`: its registry owner, or the NameWrapper
    ///         owner when the registry owner is the NameWrapper.
    /// @param node The ENS node.
    /// @return The owner (zero when the node does not exist).
    function nodeOwner(bytes32 node) public view returns (address) {
        return _ownerOf(node);
    }

    // ----------------------------------------------------------------------------------------
    // Internals: ownership and recordhash
    // ----------------------------------------------------------------------------------------

    function _checkNodeOwner(bytes32 node) private view returns (address owner) {
        owner = nodeOwner(node);
        if (owner != msg.sender || owner == address(0)) revert NotNodeOwner(node, msg.sender);
    }

    function _parseRecordhash(bytes calldata recordhash_) private pure returns (bytes32 key) {
        if (recordhash_.length == 0) return 0;
        if (recordhash_.length == 32) key = bytes32(recordhash_);
        else if (recordhash_.length == 42 && bytes10(recordhash_[:10]) == IPNS_ED25519_PREFIX) key = bytes32(recordhash_[10:]);
        else revert InvalidRecordhash();
        if (key == 0) revert InvalidRecordhash();
    }

    function _formatRecordhash(bytes32 key) private pure returns (bytes memory) {
        return key == 0 ? bytes("") : abi.encodePacked(IPNS_ED25519_PREFIX, key);
    }

    // ----------------------------------------------------------------------------------------
    // Internals: resolve()
    // ----------------------------------------------------------------------------------------

    /// @dev Label offsets (of their length bytes) in `name`; reverts `InvalidDnsName`.
    function _parseName(bytes calldata name) private pure returns (uint256[] memory labels) {
        bool ok;
        assembly ("memory-safe") {
            labels := mload(0x40)
            let count := 0
            let pos := 0
            let size := name.length
            ok := 1
            for {} 1 {} {
                if iszero(lt(pos, size)) {
                    ok := 0
                    break
                }
                let start := add(name.offset, pos)
                let length := byte(0, calldataload(start))
                if iszero(length) { break }
                count := add(count, 1)
                mstore(add(labels, shl(5, count)), pos)
                // No "." or "/" in the label, 32 bytes at a time: setting the low bit of every byte
                // maps both (and only them) to 0x2f; bytes past the label are masked to 0xff.
                for { let i := 0 } lt(i, length) { i := add(i, 32) } {
                    let w := xor(or(calldataload(add(add(start, 1), i)), ONES), mul(ONES, 0x2f))
                    if lt(sub(length, i), 32) { w := or(w, sub(shl(shl(3, sub(32, sub(length, i))), 1), 1)) }
                    if and(and(sub(w, ONES), not(w)), HIGHS) { ok := 0 }
                }
                pos := add(pos, add(length, 1))
            }
            if iszero(and(eq(add(pos, 1), size), gt(count, 0))) { ok := 0 }
            mstore(labels, count)
            mstore(0x40, add(labels, shl(5, add(count, 1))))
        }
        if (!ok) revert InvalidDnsName();
    }

    /// @dev Walks from the full name up to the closest ancestor with an owner; the recordhash is
    ///      the closest one set between the name and that ancestor, else the owner's wallet-wide one.
    ///      State reads: per node walked, one recordhash SLOAD (until one is found) and one
    ///      registry `owner` call; then the owner node's config slot (epoch and gateway list).
    function _locate(bytes calldata name, uint256[] memory labels) private view returns (Target memory target) {
        uint256 count = labels.length;
        bytes32[] memory nodes = new bytes32[](count);
        assembly ("memory-safe") {
            let node := 0
            let scratch := mload(0x40)
            for { let i := count } i { i := sub(i, 1) } {
                let start := add(name.offset, mload(add(labels, shl(5, i))))
                let length := byte(0, calldataload(start))
                calldatacopy(scratch, add(start, 1), length)
                mstore(0x20, keccak256(scratch, length))
                mstore(0x00, node)
                node := keccak256(0x00, 0x40)
                mstore(add(nodes, shl(5, i)), node)
            }
        }
        address owner;
        bytes32 key;
        bytes32 node;
        for (uint256 i; i < count; ++i) {
            node = nodes[i];
            if (key == 0) key = _recordKeys[node];
            owner = _ownerOf(node);
            if (owner != address(0)) break;
        }
        if (owner == address(0)) revert NameNotFound();
        if (key == 0) key = _ownerRecordKeys[owner];
        NodeConfig storage config = _nodes[node];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(config.slot)
        }
        // NodeConfig packing: epoch in bits 0-63, gateways in 64-223, gatewaysSize in 224-255.
        target = Target(owner, node, key, uint64(word), address(uint160(word >> 64)), word >> 224);
    }

    /// @dev Where every certificate record lives: the CA's tree, with the CA's signer as the owner
    ///      and its epoch (owner node zero: no on-chain approvals), on the default gateways.
    function _certificateTarget() private view returns (Target memory target) {
        CertificateAuthority memory ca = _certificateAuthority;
        target = Target(ca.signer, bytes32(0), _certificateAuthorityKey, ca.epoch, address(0), 0);
    }

    /// @dev `nodeOwner(node)` with hand-written calls (bubbling the callee's revert).
    function _ownerOf(bytes32 node) private view returns (address owner) {
        address registry = address(ens);
        address wrapper = address(nameWrapper);
        assembly ("memory-safe") {
            function call1(target, selector, argument) -> result {
                mstore(0x00, shl(224, selector))
                mstore(0x04, argument)
                let ok := staticcall(gas(), target, 0x00, 0x24, 0x00, 0x20)
                if iszero(and(ok, gt(returndatasize(), 31))) {
                    let p := mload(0x40)
                    returndatacopy(p, 0, returndatasize())
                    revert(p, returndatasize())
                }
                result := mload(0x00)
                if shr(160, result) { revert(0, 0) }
            }
            owner := call1(registry, REGISTRY_OWNER_SELECTOR, node)
            if and(eq(owner, wrapper), iszero(iszero(owner))) {
                owner := call1(wrapper, WRAPPER_OWNER_OF_SELECTOR, node)
            }
        }
    }

    /// @dev Parses the inner call into its record type string and result kind.
    function _parseRequest(bytes calldata data) private pure returns (Request memory request) {
        if (data.length < 4) revert UnsupportedResolverFunction(bytes4(0));
        bytes4 selector = bytes4(data[:4]);
        request.urlSafe = true;
        if (selector == IRecordReads.text.selector) {
            bytes calldata key = _stringArgument(data, 1);
            (request.recordType, request.urlSafe) = _textRecordType(key);
            bool certificate;
            assembly ("memory-safe") {
                certificate := and(
                    eq(key.length, 21), eq(shr(88, calldataload(key.offset)), shr(88, CERTIFICATE_CHAIN_TEXT_KEY))
                )
            }
            request.certificate = certificate;
            return request; // kind: KIND_STRING (0)
        }
        if (selector == IRecordReads.contenthash.selector) return _fixed(data, KIND_BYTES, "contenthash");
        if (selector == bytes4(keccak256("addr(bytes32)"))) return _fixed(data, KIND_ADDRESS, "address/60");
        if (selector == IRecordReads.name.selector) return _fixed(data, KIND_STRING, "name");
        if (selector == IRecordReads.pubkey.selector) return _fixed(data, KIND_PUBKEY, "pubkey");
        if (selector == IRecordReads.zonehash.selector) return _fixed(data, KIND_BYTES, "dns/zonehash");
        if (selector == bytes4(keccak256("addr(bytes32,uint256)"))) {
            uint256 coinType = _word(data, 1);
            if (coinType == 60) return _fixed(data, KIND_ETH_MULTICOIN, "address/60");
            return _fixed(data, KIND_BYTES, abi.encodePacked("address/", EnsgateEncoding.decimal(coinType)));
        }
        if (selector == IRecordReads.interfaceImplementer.selector) {
            bytes32 word = bytes32(_word(data, 1));
            if (uint256(word) << 32 != 0) revert InvalidRecordCall();
            return _fixed(data, KIND_ADDRESS, abi.encodePacked("interface/", EnsgateEncoding.hexString4(bytes4(word))));
        }
        if (selector == IRecordReads.ABI.selector) {
            uint256 contentTypes = _word(data, 1);
            if (contentTypes == 0) revert InvalidRecordCall();
            request = _fixed(data, KIND_ABI, "");
            request.contentTypes = contentTypes;
            return request;
        }
        bytes32 nameHash;
        if (selector == bytes4(keccak256("dnsRecord(bytes32,bytes32,uint16)"))) nameHash = bytes32(_word(data, 1));
        else if (selector == bytes4(keccak256("dnsRecord(bytes32,bytes,uint16)"))) nameHash = keccak256(_stringArgument(data, 1));
        else revert UnsupportedResolverFunction(selector);
        uint256 resource = _word(data, 2);
        if (resource > type(uint16).max) revert InvalidRecordCall();
        request = _fixed(
            data,
            KIND_BYTES,
            abi.encodePacked("dns/", EnsgateEncoding.hexString(nameHash), "/", EnsgateEncoding.decimal(resource))
        );
        request.certificate = resource == DNS_RESOURCE_TLSA;
    }

    function _fixed(bytes calldata data, uint8 kind, bytes memory recordType) private pure returns (Request memory request) {
        if (data.length < 36) revert InvalidRecordCall();
        request.kind = kind;
        request.recordType = recordType;
        request.urlSafe = true;
    }

    /// @dev The `index`-th ABI word of the call arguments (after the selector).
    function _word(bytes calldata data, uint256 index) private pure returns (uint256 value) {
        uint256 end = 4 + 32 * (index + 1);
        if (data.length < end) revert InvalidRecordCall();
        value = uint256(bytes32(data[end - 32:end]));
    }

    /// @dev The dynamic `bytes`/`string` argument whose offset is the `index`-th word.
    function _stringArgument(bytes calldata data, uint256 index) private pure returns (bytes calldata value) {
        // The caller checked data.length >= 4. Every bound is checked before its value is trusted.
        bool bad;
        assembly ("memory-safe") {
            let argsLength := sub(data.length, 4)
            let end := add(4, shl(5, add(index, 1)))
            let offset := calldataload(add(data.offset, sub(end, 32)))
            bad := or(lt(data.length, end), or(gt(offset, argsLength), lt(sub(argsLength, offset), 32)))
            let length := calldataload(add(add(data.offset, 4), offset))
            bad := or(bad, gt(length, sub(sub(argsLength, offset), 32)))
            value.offset := add(add(data.offset, 36), offset)
            value.length := length
        }
        if (bad) revert InvalidRecordCall();
    }

    /// @dev `text/<key>`, rejecting the keys the library cannot store as one file name (empty,
    ///      `.`, `..`, holding `/` or a control character); also says whether the key can go into
    ///      a URL path unescaped. The bytes are tested 32 at a time.
    function _textRecordType(bytes calldata key) private pure returns (bytes memory recordType, bool urlSafe) {
        uint256 length = key.length;
        uint256 forbidden;
        uint256 unsafe;
        assembly ("memory-safe") {
            // Empty, "." or "..".
            let first := shr(240, calldataload(key.offset))
            forbidden := or(
                iszero(length),
                or(and(eq(length, 1), eq(shr(8, first), 0x2e)), and(eq(length, 2), eq(first, 0x2e2e)))
            )
            // Nonzero (high bit of a byte) when some byte of `v` is zero.
            function zeroByte(v) -> r {
                r := and(and(sub(v, ONES), not(v)), HIGHS)
            }
            recordType := mload(0x40)
            mstore(recordType, add(length, 5))
            mstore(add(recordType, 32), "text/")
            calldatacopy(add(recordType, 37), key.offset, length)
            mstore(0x40, and(add(add(recordType, 68), length), not(31)))
            // 32 key bytes at a time; bytes past the key read as "a".
            for { let i := 0 } lt(i, length) { i := add(i, 32) } {
                let w := calldataload(add(key.offset, i))
                if lt(sub(length, i), 32) {
                    let tail := sub(shl(shl(3, sub(32, sub(length, i))), 1), 1)
                    w := or(and(w, not(tail)), and(mul(ONES, 0x61), tail))
                }
                // A byte below 0x20 (bytes >= 0x80 never match), DEL, or "/".
                forbidden := or(forbidden, and(and(sub(w, mul(ONES, 0x20)), not(w)), HIGHS))
                forbidden := or(forbidden, zeroByte(xor(w, mul(ONES, 0x7f))))
                forbidden := or(forbidden, zeroByte(xor(w, mul(ONES, 0x2f))))
                // "?", "#", "%", "\".
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x3f))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x23))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x25))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x5c))))
            }
        }
        if (forbidden != 0) revert InvalidRecordCall();
        urlSafe = unsafe == 0;
    }

    /// @dev Reverts with the `OffchainLookup`, ABI-encoded by hand in one pass over fresh memory:
    ///      the head, `urls` (gateway services, then the IPFS gateway URLs), `callData`, `extraData`.
    function _revertWithLookup(
        bytes calldata name,
        bytes calldata data,
        uint256[] memory labels,
        Request memory request,
        Target memory target
    ) private view {
        DefaultGateways storage defaultsSlot = _defaults;
        uint256 defaults;
        assembly ("memory-safe") {
            defaults := sload(defaultsSlot.slot)
        }
        // DefaultGateways packing: pointer in bits 0-159, size in 160-191.
        bytes memory blob = EnsgateGatewayList.load(address(uint160(defaults)), uint32(defaults >> 160));
        bytes memory own = target.gateways == address(0)
            ? blob
            : EnsgateGatewayList.load(target.gateways, target.gatewaysSize);
        uint256 start;
        assembly ("memory-safe") {
            start := mload(0x40)
        }
        // The selector goes in the last 4 bytes of the first word; the arguments start after it.
        uint256 args = start + 32;
        uint256 urlsEnd = _writeUrls(args + 0xa0, name, labels, request, blob, own, target.key);
        uint256 callDataEnd = _writeCallData(urlsEnd, name, data, target);
        uint256 end = _writeExtraData(callDataEnd, name, labels, request, target);
        bytes4 callback = this.resolveCallback.selector;
        assembly ("memory-safe") {
            mstore(start, OFFCHAIN_LOOKUP_SELECTOR)
            mstore(args, address())
            mstore(add(args, 0x20), 0xa0)
            mstore(add(args, 0x40), sub(urlsEnd, args))
            mstore(add(args, 0x60), callback)
            mstore(add(args, 0x80), sub(callDataEnd, args))
            revert(add(start, 28), sub(end, add(start, 28)))
        }
    }

    /// @dev Writes the ABI `string[]` of the lookup URLs at `ptr` (length word first); returns
    ///      where it ends. First every gateway-service URL template, unchanged; then, unless the
    ///      record type is not URL-safe, for each record file candidate (ABI: one per requested
    ///      content type, lowest bit first) each IPFS gateway prefix followed by
    ///      `/ipns/b<CIDv1 base32>/.well-known/<labels reversed>/<record type>.json?t={data}`.
    ///      The suffix is built once per candidate and copied after the other prefixes.
    function _writeUrls(
        uint256 ptr,
        bytes calldata name,
        uint256[] memory labels,
        Request memory request,
        bytes memory blob,
        bytes memory own,
        bytes32 key
    ) private pure returns (uint256 end) {
        (uint256 cidHigh, uint256 cidLow) = EnsgateEncoding.ipnsKeyBase32(key);
        uint256 kind = request.kind;
        uint256 contentTypes = request.contentTypes;
        bytes memory recordType = request.recordType;
        bool urlSafe = request.urlSafe;
        assembly ("memory-safe") {
            function popcount(x) -> n {
                for {} x { x := and(x, sub(x, 1)) } { n := add(n, 1) }
            }
            function decimal(p, value) -> e {
                let digits := 1
                for { let v := value } gt(v, 9) { v := div(v, 10) } { digits := add(digits, 1) }
                e := add(p, digits)
                for { let q := e } 1 {} {
                    q := sub(q, 1)
                    mstore8(q, add(48, mod(value, 10)))
                    value := div(value, 10)
                    if iszero(value) { break }
                }
            }
            let services := byte(1, mload(add(blob, 32)))
            let prefixes := 0
            if urlSafe { prefixes := byte(0, mload(add(own, 32))) }
            let candidates := 1
            if eq(kind, KIND_ABI) { candidates := popcount(contentTypes) }
            let count := add(services, mul(prefixes, candidates))
            mstore(ptr, count)
            let heads := add(ptr, 32)
            let slot := heads
            let p := add(heads, shl(5, count))
            // Gateway services: the first entries of the defaults.
            let src := add(blob, 34)
            for { let j := 0 } lt(j, services) { j := add(j, 1) } {
                let length := shr(240, mload(src))
                mstore(slot, sub(p, heads))
                slot := add(slot, 32)
                mstore(p, length)
                mcopy(add(p, 32), add(src, 2), length)
                let w := add(add(p, 32), length)
                mstore(w, 0)
                p := and(add(w, 31), not(31))
                src := add(src, add(length, 2))
            }
            // IPFS gateway prefixes: after the services of the defaults; an owner's list has none.
            let first := src
            if iszero(eq(own, blob)) { first := add(own, 34) }
            let remaining := contentTypes
            let labelCount := mload(labels)
            for { let c := 0 } lt(c, candidates) { c := add(c, 1) } {
                let bit := and(remaining, add(not(remaining), 1))
                remaining := xor(remaining, bit)
                let suffix := 0
                let suffixLength := 0
                src := first
                for { let j := 0 } lt(j, prefixes) { j := add(j, 1) } {
                    let length := shr(240, mload(src))
                    mstore(slot, sub(p, heads))
                    slot := add(slot, 32)
                    let w := add(p, 32)
                    mcopy(w, add(src, 2), length)
                    w := add(w, length)
                    switch suffixLength
                    case 0 {
                        suffix := w
                        mstore(w, "/ipns/b")
                        mstore(add(w, 7), cidHigh)
                        mstore(add(w, 39), cidLow)
                        mstore(add(w, 71), "/.well-known/")
                        w := add(w, 84)
                        for { let i := labelCount } i { i := sub(i, 1) } {
                            let at := add(name.offset, mload(add(labels, shl(5, i))))
                            let size := byte(0, calldataload(at))
                            calldatacopy(w, add(at, 1), size)
                            mstore8(add(w, size), 0x2f)
                            w := add(w, add(size, 1))
                        }
                        switch eq(kind, KIND_ABI)
                        case 0 {
                            mcopy(w, add(recordType, 32), mload(recordType))
                            w := add(w, mload(recordType))
                        }
                        default {
                            mstore(w, "abi/")
                            w := decimal(add(w, 4), bit)
                        }
                        mstore(w, ".json?t={data}")
                        w := add(w, 14)
                        suffixLength := sub(w, suffix)
                    }
                    default {
                        mcopy(w, suffix, suffixLength)
                        w := add(w, suffixLength)
                    }
                    mstore(p, sub(w, add(p, 32)))
                    mstore(w, 0)
                    p := and(add(w, 31), not(31))
                    src := add(src, add(length, 2))
                }
            }
            end := p
            mstore(0x40, end)
        }
    }

    /// @dev Writes the lookup `callData` as ABI `bytes` at `ptr`: `resolveOffchain(name, data,
    ///      recordhash, owner, chainId, epoch)` (IEnsgateGateway); returns where it ends.
    function _writeCallData(uint256 ptr, bytes calldata name, bytes calldata data, Target memory target)
        private
        view
        returns (uint256 end)
    {
        address owner = target.owner;
        uint256 epoch = target.epoch;
        bytes32 key = target.key;
        assembly ("memory-safe") {
            let c := add(ptr, 32)
            mstore(c, shl(224, RESOLVE_OFFCHAIN_SELECTOR))
            let h := add(c, 4)
            let namePadded := and(add(name.length, 31), not(31))
            let dataPadded := and(add(data.length, 31), not(31))
            mstore(h, 0xc0)
            mstore(add(h, 0x20), add(0xe0, namePadded))
            mstore(add(h, 0x40), add(0x100, add(namePadded, dataPadded)))
            mstore(add(h, 0x60), owner)
            mstore(add(h, 0x80), chainid())
            mstore(add(h, 0xa0), epoch)
            let t := add(h, 0xc0)
            mstore(t, name.length)
            calldatacopy(add(t, 32), name.offset, name.length)
            mstore(add(add(t, 32), name.length), 0)
            t := add(add(t, 32), namePadded)
            mstore(t, data.length)
            calldatacopy(add(t, 32), data.offset, data.length)
            mstore(add(add(t, 32), data.length), 0)
            t := add(add(t, 32), dataPadded)
            mstore(t, 42)
            mstore(add(t, 32), shl(176, IPNS_ED25519_PREFIX_WORD))
            mstore(add(t, 42), key)
            mstore(add(t, 74), 0)
            t := add(t, 96)
            let length := sub(t, c)
            mstore(ptr, length)
            mstore(t, 0)
            end := add(c, and(add(length, 31), not(31)))
            mstore(0x40, end)
        }
    }

    /// @dev Writes the lookup `extraData` as ABI `bytes` at `ptr`: keccak256(resolver ‖ chainId ‖
    ///      lookup) ‖ lookup, with lookup = abi.encode(Lookup); returns where it ends.
    function _writeExtraData(
        uint256 ptr,
        bytes calldata name,
        uint256[] memory labels,
        Request memory request,
        Target memory target
    ) private view returns (uint256 end) {
        uint256 kind = request.kind;
        uint256 contentTypes = request.contentTypes;
        bytes memory recordType = request.recordType;
        address owner = target.owner;
        bytes32 ownerNode = target.ownerNode;
        uint256 epoch = target.epoch;
        uint256 deadline = block.timestamp + LOOKUP_TTL;
        assembly ("memory-safe") {
            let lookup := add(ptr, 64)
            let dottedLength := sub(name.length, 2)
            let dottedPadded := and(add(dottedLength, 31), not(31))
            mstore(lookup, 0x20)
            mstore(add(lookup, 0x20), deadline)
            mstore(add(lookup, 0x40), kind)
            mstore(add(lookup, 0x60), owner)
            mstore(add(lookup, 0x80), ownerNode)
            mstore(add(lookup, 0xa0), epoch)
            mstore(add(lookup, 0xc0), contentTypes)
            mstore(add(lookup, 0xe0), 0x100)
            mstore(add(lookup, 0x100), add(0x120, dottedPadded))
            // name: the DNS name without its first length byte and final zero, dots for lengths.
            let t := add(lookup, 0x120)
            mstore(t, dottedLength)
            calldatacopy(add(t, 32), add(name.offset, 1), dottedLength)
            mstore(add(add(t, 32), dottedLength), 0)
            let labelCount := mload(labels)
            for { let i := 2 } iszero(gt(i, labelCount)) { i := add(i, 1) } {
                mstore8(add(t, add(31, mload(add(labels, shl(5, i))))), 0x2e)
            }
            t := add(add(t, 32), dottedPadded)
            let recordTypeLength := mload(recordType)
            mstore(t, recordTypeLength)
            mcopy(add(t, 32), add(recordType, 32), recordTypeLength)
            mstore(add(add(t, 32), recordTypeLength), 0)
            t := add(add(t, 32), and(add(recordTypeLength, 31), not(31)))
            let lookupLength := sub(t, lookup)
            // The check hash input (20-byte address ‖ chainId) goes right before the lookup.
            mstore(ptr, address())
            mstore(add(ptr, 32), chainid())
            mstore(add(ptr, 32), keccak256(add(ptr, 12), add(lookupLength, 52)))
            mstore(ptr, add(lookupLength, 32))
            end := t
            mstore(0x40, end)
        }
    }

    // ----------------------------------------------------------------------------------------
    // Internals: resolveCallback()
    // ----------------------------------------------------------------------------------------

    function _openLookup(bytes calldata extraData) private view returns (Lookup memory lookup) {
        if (extraData.length < 32) revert InvalidLookup();
        bytes calldata encoded = extraData[32:];
        if (keccak256(abi.encodePacked(address(this), block.chainid, encoded)) != bytes32(extraData[:32])) {
            revert InvalidLookup();
        }
        lookup = abi.decode(encoded, (Lookup));
        if (block.timestamp > lookup.deadline) revert LookupExpired(lookup.deadline);
    }

    /// @dev The `index`-th dynamic field of a signed record body; reverts `MalformedRecord`.
    function _field(bytes calldata body, uint256 index) private pure returns (bytes calldata value) {
        uint256 offset = uint256(bytes32(body[index * 32:index * 32 + 32]));
        if (offset > body.length - 32) revert MalformedRecord();
        uint256 length = uint256(bytes32(body[offset:offset + 32]));
        if (length > body.length - offset - 32) revert MalformedRecord();
        value = body[offset + 32:offset + 32 + length];
    }

    /// @dev Checks `result` is the canonical ABI encoding of the kind's stored type; for ABI
    ///      returns its content type, which must be one bit of the requested mask.
    function _checkResult(uint256 kind, uint256 contentTypes, bytes calldata result)
        private
        pure
        returns (uint256 contentType)
    {
        uint256 length = result.length;
        if (kind == KIND_ADDRESS || kind == KIND_ETH_MULTICOIN) {
            if (length != 32 || uint256(bytes32(result)) >> 160 != 0) revert InvalidResult();
            return 0;
        }
        if (kind == KIND_PUBKEY) {
            if (length != 64) revert InvalidResult();
            return 0;
        }
        uint256 head = kind == KIND_ABI ? 64 : 32; // words before the bytes length
        if (length < head + 32 || uint256(bytes32(result[head - 32:head])) != head) revert InvalidResult();
        uint256 size = uint256(bytes32(result[head:head + 32]));
        if (size > length || length != head + 32 + ((size + 31) & ~uint256(31))) revert InvalidResult();
        uint256 tail = size & 31;
        if (tail != 0 && uint256(bytes32(result[length - 32:])) << (tail * 8) != 0) revert InvalidResult();
        if (kind == KIND_ABI) {
            contentType = uint256(bytes32(result[:32]));
            if (contentType == 0 || contentType & (contentType - 1) != 0 || contentType & contentTypes == 0) {
                revert InvalidResult();
            }
        }
    }

    /// @dev EIP-191 digest of SIGN 4 (lib/messages/recordMessage.ts).
    function _recordDigest(Lookup memory lookup, bytes32 resultHash, Signed memory signed)
        private
        view
        returns (bytes32 digest)
    {
        bool v2 = signed.v2;
        uint256 validUntil = signed.validUntil;
        uint256 epoch = signed.epoch;
        bytes memory name = lookup.name;
        bytes memory recordType = lookup.recordType;
        uint256 chainId = block.chainid;
        uint256 length = 51 + name.length + 14 + recordType.length + 14 + 64 + 19 + chainId.decimalLength() + 43;
        if (v2) length += 14 + validUntil.decimalLength() + 8 + epoch.decimalLength();
        (uint256 start, uint256 ptr) = _personalSignPrefix(length);
        assembly ("memory-safe") {
            mstore(ptr, "Requesting Signature To Update E")
            mstore(add(ptr, 32), "NS Record\n\nOrigin: ")
            ptr := add(ptr, 51)
            mcopy(ptr, add(name, 32), mload(name))
            ptr := add(ptr, mload(name))
            mstore(ptr, "\nRecord Type: ")
            ptr := add(ptr, 14)
            mcopy(ptr, add(recordType, 32), mload(recordType))
            ptr := add(ptr, mload(recordType))
            mstore(ptr, "\nExtradata: 0x")
            ptr := add(ptr, 14)
        }
        (uint256 high, uint256 low) = EnsgateEncoding.hex32(resultHash);
        assembly ("memory-safe") {
            mstore(ptr, high)
            mstore(add(ptr, 32), low)
            ptr := add(ptr, 64)
        }
        if (v2) {
            assembly ("memory-safe") {
                mstore(ptr, "\nValid Until: ")
                ptr := add(ptr, 14)
            }
            ptr = ptr.writeDecimal(validUntil);
            assembly ("memory-safe") {
                mstore(ptr, "\nEpoch: ")
                ptr := add(ptr, 8)
            }
            ptr = ptr.writeDecimal(epoch);
        }
        assembly ("memory-safe") {
            mstore(ptr, "\nSigned By: eip155:")
            ptr := add(ptr, 19)
        }
        ptr = _writeAccount(ptr.writeDecimal(chainId), signed.signer);
        assembly ("memory-safe") {
            digest := keccak256(start, sub(ptr, start))
        }
    }

    /// @dev EIP-191 digest of SIGN 3 (lib/messages/approvalMessage.ts); v2 adds the epoch line.
    function _approvalDigest(Lookup memory lookup, Signed memory signed) private view returns (bytes32 digest) {
        bool v2 = signed.v2;
        uint256 epoch = signed.epoch;
        bytes memory name = lookup.name;
        uint256 chainId = block.chainid;
        uint256 chainIdLength = chainId.decimalLength();
        uint256 length = 60 + name.length + 25 + chainIdLength + 43 + 21 + chainIdLength + 43;
        if (v2) length += 8 + epoch.decimalLength();
        (uint256 start, uint256 ptr) = _personalSignPrefix(length);
        assembly ("memory-safe") {
            mstore(ptr, "Requesting Signature To Approve ")
            mstore(add(ptr, 32), "ENS Records Signer\n\nOrigin: ")
            ptr := add(ptr, 60)
            mcopy(ptr, add(name, 32), mload(name))
            ptr := add(ptr, mload(name))
            mstore(ptr, "\nApproved Signer: eip155:")
            ptr := add(ptr, 25)
        }
        ptr = _writeAccount(ptr.writeDecimal(chainId), signed.signer);
        if (v2) {
            assembly ("memory-safe") {
                mstore(ptr, "\nEpoch: ")
                ptr := add(ptr, 8)
            }
            ptr = ptr.writeDecimal(epoch);
        }
        assembly ("memory-safe") {
            mstore(ptr, "\nApproved By: eip155:")
            ptr := add(ptr, 21)
        }
        ptr = _writeAccount(ptr.writeDecimal(chainId), lookup.owner);
        assembly ("memory-safe") {
            digest := keccak256(start, sub(ptr, start))
        }
    }

    /// @dev Allocates `\x19Ethereum Signed Message:\n<length>` plus `length` bytes; returns the
    ///      buffer start and where the message goes.
    function _personalSignPrefix(uint256 length) private pure returns (uint256 start, uint256 ptr) {
        bytes memory buffer = new bytes(26 + length.decimalLength() + length + 32);
        assembly ("memory-safe") {
            start := add(buffer, 32)
            mstore(start, "\x19Ethereum Signed Message:\n")
        }
        ptr = (start + 26).writeDecimal(length);
    }

    /// @dev Writes `:0x<EIP-55 address>` (43 bytes) at `ptr`.
    function _writeAccount(uint256 ptr, address account) private pure returns (uint256) {
        (uint256 high, uint256 low) = EnsgateEncoding.checksum(account);
        assembly ("memory-safe") {
            mstore(ptr, ":0x")
            mstore(add(ptr, 3), high)
            mstore(add(ptr, 35), low)
        }
        return ptr + 43;
    }

    /// @dev Canonical 65-byte ECDSA (v 27/28, low s) signature of `digest` by `expected`.
    function _isSignedBy(bytes32 digest, bytes calldata signature, address expected) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(digest, signature);
        return error == ECDSA.RecoverError.NoError && recovered == expected;
    }

    /// @dev The verified result as the inner function's answer (coin type 60: address as bytes).
    function _answer(uint256 kind, bytes calldata result) private pure returns (bytes memory) {
        if (kind != KIND_ETH_MULTICOIN) return result;
        address account = address(uint160(uint256(bytes32(result))));
        return abi.encode(account == address(0) ? bytes("") : abi.encodePacked(account));
    }

    /// @dev The ABI-encoded zero value of the inner function's return type.
    function _emptyAnswer(uint256 kind) private pure returns (bytes memory) {
        if (kind == KIND_ADDRESS) return abi.encode(address(0));
        if (kind == KIND_PUBKEY) return abi.encode(bytes32(0), bytes32(0));
        if (kind == KIND_ABI) return abi.encode(uint256(0), bytes(""));
        return abi.encode(bytes(""));
    }
}
