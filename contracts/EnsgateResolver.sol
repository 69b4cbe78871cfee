// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IEnsgateGateway} from "./interfaces/IEnsgateGateway.sol";
import {IBaseRegistrarExpiry, IENSRegistryOwner, INameWrapperOwner} from "./interfaces/IEnsOwnership.sol";
import {IEnsgateResolver} from "./interfaces/IEnsgateResolver.sol";
import {IExtendedResolver} from "./interfaces/IExtendedResolver.sol";
import {IFeatureSupporter} from "./interfaces/IFeatureSupporter.sol";
import {DnsName} from "./libraries/DnsName.sol";
import {EnsgateEncoding} from "./libraries/EnsgateEncoding.sol";
import {EnsgateGatewayList} from "./libraries/EnsgateGatewayList.sol";
import {IpnsRecordhash} from "./libraries/IpnsRecordhash.sol";
import {LookupUrls} from "./libraries/LookupUrls.sol";
import {RecordMessages} from "./libraries/RecordMessages.sol";
import {RecordRequest} from "./libraries/RecordRequest.sol";
import {SignedRecord} from "./libraries/SignedRecord.sol";
import {CertificateAuthority} from "./resolver/CertificateAuthority.sol";
import {DefaultGateways} from "./resolver/DefaultGateways.sol";
import {NameOwnership} from "./resolver/NameOwnership.sol";
import {RecordTrees} from "./resolver/RecordTrees.sol";
import {SignerApprovals} from "./resolver/SignerApprovals.sol";

/// @title ensgate resolver: ENS records on IPNS, read with CCIP-Read, verified on-chain
/// @notice ENSIP-10 wildcard resolver. `resolve()` reverts with an EIP-3668 `OffchainLookup` that
///         points at gateway services and at the record file on public IPFS gateways;
///         `resolveCallback()` verifies the record's signatures exactly as the core library's
///         `verifyRecord` does (same order, one custom error per rejection reason) and returns the
///         answer. Whoever serves the file is never trusted.
/// @dev The concerns live in their own contracts: `NameOwnership` (who owns a name, with the
///      `.eth` expiry rule), `RecordTrees` (recordhash, gateways and epochs, per owner),
///      `SignerApprovals` (on-chain approvals, per owner), `CertificateAuthority` and
///      `DefaultGateways` (admin). Formats: docs/resolver.md and docs/protocol.md.
contract EnsgateResolver is
    IExtendedResolver,
    IFeatureSupporter,
    IERC165,
    NameOwnership,
    RecordTrees,
    SignerApprovals,
    DefaultGateways,
    CertificateAuthority
{
    /// @notice Seconds a lookup stays valid: the callback rejects it afterwards (`LookupExpired`).
    uint256 public constant LOOKUP_TTL = 5 minutes;

    /// @dev An approval shorter than this means "none attached" (as in NameSys).
    uint256 private constant MIN_APPROVAL_SIGNATURE_SIZE = 64;

    /// @dev This resolver's EIP-55 address digits (`EnsgateEncoding.checksum`), for its CAIP-10 id
    ///      in v2 messages: checksumming `address(this)` in every callback costs about 1,800 gas.
    uint256 private immutable _checksumHigh;
    uint256 private immutable _checksumLow;

    /// @dev What `resolve()` hands to `resolveCallback()` in `extraData`, after the check hash.
    struct Lookup {
        uint256 deadline;
        uint256 kind;
        address owner; // the name's owner, or the CA's signer for a certificate record
        address nameOwner; // certificate records: the name's owner, whom the record must be issued to
        uint256 epoch;
        uint256 contentTypes; // ABI requests: the requested bitmask
        bytes name; // dotted name: SIGN 3/4 `Origin`
        bytes recordType; // SIGN 4 `Record Type` (ABI: built from the result's content type)
        bytes32[] nodes; // where the owner's on-chain approvals count (empty for certificates)
    }

    /// @param ens_ The ENS registry.
    /// @param nameWrapper_ The NameWrapper (zero on chains without one).
    /// @param registrar_ The `.eth` base registrar (zero: no expiry rule).
    /// @param admin The admin (Ownable2Step owner): default gateway lists and the certificate authority.
    /// @param ipfsGateways Default IPFS gateway URL prefixes, e.g. `https://ipfs.io` (no trailing `/`).
    /// @param gatewayServices Gateway-service URL templates (EIP-3668 `{sender}`/`{data}`).
    constructor(
        IENSRegistryOwner ens_,
        INameWrapperOwner nameWrapper_,
        IBaseRegistrarExpiry registrar_,
        address admin,
        string[] memory ipfsGateways,
        string[] memory gatewayServices
    ) NameOwnership(ens_, nameWrapper_, registrar_) Ownable(admin) {
        _setDefaultGateways(ipfsGateways, gatewayServices);
        (uint256 high, uint256 low) = EnsgateEncoding.checksum(address(this));
        _checksumHigh = high;
        _checksumLow = low;
    }

    // ----------------------------------------------------------------------------------------
    // ERC-165 and ERC-7996
    // ----------------------------------------------------------------------------------------

    /// @notice ERC-165: the extended resolver (0x9061b923), ERC-7996 (0x582de3e7) and ERC-165.
    /// @param interfaceId The interface id.
    /// @return Whether it is supported.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IExtendedResolver).interfaceId
            || interfaceId == type(IFeatureSupporter).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @notice ERC-7996: no optional feature. In particular not `RESOLVE_MULTICALL` (0x96b62db8):
    ///         a UniversalResolver splits `resolve(name, multicall(...))` into one lookup per
    ///         record, each with its own static-IPFS fallback (docs/resolver.md).
    /// @return Always false.
    function supportsFeature(bytes4) external pure returns (bool) {
        return false;
    }

    // ----------------------------------------------------------------------------------------
    // ENSIP-10
    // ----------------------------------------------------------------------------------------

    /// @notice ENSIP-10: reverts with `OffchainLookup` for the record `data` asks of `name`, or
    ///         returns the empty answer when the name's owner has no recordhash for it.
    /// @param name The DNS wire-format name.
    /// @param data The inner resolver call (text, addr, contenthash, pubkey, name,
    ///        interfaceImplementer, ABI, zonehash, dnsRecord).
    /// @return The ABI-encoded empty answer (only when there is no recordhash).
    function resolve(bytes calldata name, bytes calldata data) external view returns (bytes memory) {
        RecordRequest.Request memory request = RecordRequest.parse(data);
        uint256[] memory offsets = DnsName.labelOffsets(name);
        bytes32[] memory nodes = DnsName.suffixNodes(name, offsets);

        Lookup memory lookup;
        Tree memory tree;
        (address owner,) = _nameOwner(name, offsets, nodes);
        if (request.certificate) {
            // The CA's records are read from the CA's tree and signed by the CA, but only for the
            // owner they were issued to: the callback checks the record's certified owner.
            (lookup.owner, tree) = _certificateTree();
            lookup.nameOwner = owner;
        } else {
            lookup.owner = owner;
            tree = _treeOf(owner, nodes);
            lookup.nodes = nodes;
        }
        if (tree.ipnsKey == 0) return SignedRecord.emptyAnswer(request.kind);

        lookup.deadline = block.timestamp + LOOKUP_TTL;
        lookup.kind = request.kind;
        lookup.epoch = tree.epoch;
        lookup.contentTypes = request.contentTypes;
        lookup.name = DnsName.toDotted(name, offsets);
        lookup.recordType = request.recordType;

        bytes memory callData = abi.encodeCall(
            IEnsgateGateway.resolveOffchain,
            (name, data, IpnsRecordhash.format(tree.ipnsKey), lookup.owner, block.chainid, SafeCast.toUint64(tree.epoch))
        );
        revert OffchainLookup(
            address(this), _lookupUrls(name, offsets, request, tree), callData, this.resolveCallback.selector, _seal(lookup)
        );
    }

    /// @notice EIP-3668 callback: verifies the record file's `data` and returns the answer.
    /// @dev Order (= lib/recordFile/verifyRecord.ts): decode (a certificate lookup takes only a
    ///      certificate record, and no other lookup one); result well-formed; v2 expiry; epoch;
    ///      certified owner; SIGN 4; signer is the owner, approved on-chain, or approved by the
    ///      owner's SIGN 3.
    ///      An empty `response` means "record not set" and returns the empty answer: a gateway can
    ///      hide a record that way, never forge one.
    /// @param response The record file's `data`, or empty bytes.
    /// @param extraData The `extraData` of the lookup.
    /// @return The ABI-encoded answer of the inner call.
    function resolveCallback(bytes calldata response, bytes calldata extraData) external view returns (bytes memory) {
        Lookup memory lookup = _open(extraData);
        if (response.length == 0) return SignedRecord.emptyAnswer(lookup.kind);

        SignedRecord.Record memory record = SignedRecord.decode(response);
        bool certificateLookup = lookup.nameOwner != address(0);
        if (record.certificate != certificateLookup) revert MalformedRecord();
        uint256 contentType = SignedRecord.checkResult(lookup.kind, lookup.contentTypes, record.result);
        if (lookup.kind == RecordRequest.KIND_ABI) {
            lookup.recordType = bytes.concat("abi/", EnsgateEncoding.decimal(contentType));
        }
        if (record.v2 && block.timestamp > record.validUntil) revert RecordExpired(record.validUntil);
        if (record.epoch < lookup.epoch) revert StaleEpoch(record.epoch, lookup.epoch);
        if (record.epoch > lookup.epoch) revert FutureEpoch(record.epoch, lookup.epoch);
        if (record.certifiedOwner != lookup.nameOwner) {
            revert CertificateOwnerChanged(record.certifiedOwner, lookup.nameOwner);
        }

        // Each account's CAIP-10 id is formatted once: the signer's appears in SIGN 4 and SIGN 3.
        bytes memory signerAccount = RecordMessages.caip10(block.chainid, record.signer);
        bytes memory resolverAccount = record.v2 ? _resolverAccount() : bytes("");
        bytes32 recordDigest = RecordMessages.recordDigest(
            RecordMessages.RecordMessage({
                name: lookup.name,
                recordType: lookup.recordType,
                resultHash: keccak256(record.result),
                v2: record.v2,
                validUntil: record.validUntil,
                epoch: record.epoch,
                resolver: resolverAccount,
                nameOwner: certificateLookup ? RecordMessages.caip10(block.chainid, lookup.nameOwner) : bytes(""),
                signer: signerAccount
            })
        );
        if (!_isSignedBy(recordDigest, record.recordSignature, record.signer)) revert InvalidRecordSignature();

        if (record.signer != lookup.owner && !_isApprovedOnPath(lookup.owner, lookup.nodes, record.signer)) {
            if (record.approvalSignature.length < MIN_APPROVAL_SIGNATURE_SIZE) revert UnapprovedSigner(record.signer);
            bytes32 approvalDigest = RecordMessages.approvalDigest(
                RecordMessages.ApprovalMessage({
                    name: lookup.name,
                    signer: signerAccount,
                    v2: record.v2,
                    epoch: record.epoch,
                    resolver: resolverAccount,
                    owner: RecordMessages.caip10(block.chainid, lookup.owner)
                })
            );
            if (!_isSignedBy(approvalDigest, record.approvalSignature, lookup.owner)) revert InvalidApproval();
        }
        return SignedRecord.answer(lookup.kind, record.result);
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEnsgateResolver
    function nameContext(bytes calldata name)
        external
        view
        returns (address owner, bytes32 ownerNode, uint256 epoch, bytes memory recordhash_)
    {
        uint256[] memory offsets = DnsName.labelOffsets(name);
        bytes32[] memory nodes = DnsName.suffixNodes(name, offsets);
        (owner, ownerNode) = _nameOwner(name, offsets, nodes);
        Tree memory tree = _treeOf(owner, nodes);
        return (owner, ownerNode, tree.epoch, IpnsRecordhash.format(tree.ipnsKey));
    }

    // ----------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------

    /// @dev The lookup URLs: gateway services, then the IPFS URLs of each candidate file (none
    ///      when the record type cannot go into a URL path as it is).
    function _lookupUrls(
        bytes calldata name,
        uint256[] memory offsets,
        RecordRequest.Request memory request,
        Tree memory tree
    ) private view returns (string[] memory) {
        (string[] memory prefixes, string[] memory services) = defaultGateways();
        if (!request.urlSafe) prefixes = new string[](0);
        else if (tree.gateways != address(0)) {
            (prefixes,) = EnsgateGatewayList.decode(EnsgateGatewayList.load(tree.gateways, tree.gatewaysSize));
        }
        return LookupUrls.build(
            services, prefixes, tree.ipnsKey, DnsName.wellKnownFolder(name, offsets), RecordRequest.candidates(request)
        );
    }

    /// @dev `extraData` = keccak256(resolver ‖ chain id ‖ lookup) ‖ lookup, lookup = abi.encode(Lookup).
    function _seal(Lookup memory lookup) private view returns (bytes memory extraData) {
        bytes memory hashed = abi.encodePacked(address(this), block.chainid, abi.encode(lookup));
        bytes32 check = keccak256(hashed);
        // Turns the hashed buffer into `check ‖ lookup` in place (the hash overwrites the chain id,
        // the new length word the address): a second copy of the lookup costs about 400 gas.
        assembly ("memory-safe") {
            extraData := add(hashed, 20)
            mstore(extraData, sub(mload(hashed), 20))
            mstore(add(extraData, 32), check)
        }
    }

    /// @dev Checks the check hash and the deadline of `extraData`; reverts `InvalidLookup` or `LookupExpired`.
    function _open(bytes calldata extraData) private view returns (Lookup memory lookup) {
        if (extraData.length < 32) revert InvalidLookup();
        bytes calldata encoded = extraData[32:];
        if (keccak256(abi.encodePacked(address(this), block.chainid, encoded)) != bytes32(extraData[:32])) {
            revert InvalidLookup();
        }
        lookup = abi.decode(encoded, (Lookup));
        if (block.timestamp > lookup.deadline) revert LookupExpired(lookup.deadline);
    }

    /// @dev This resolver's CAIP-10 id on the current chain (`eip155:<chain id>:<EIP-55 address>`).
    function _resolverAccount() private view returns (bytes memory) {
        return RecordMessages.caip10Checksummed(block.chainid, _checksumHigh, _checksumLow);
    }

    /// @dev Canonical 65-byte ECDSA (v 27/28, low s) signature of `digest` by `expected`.
    function _isSignedBy(bytes32 digest, bytes memory signature, address expected) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, signature);
        return error == ECDSA.RecoverError.NoError && recovered == expected;
    }
}
