// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Events and errors of the ensgate resolver
interface IEnsgateResolver {
    // ----- lookup (EIP-3668) -----

    /// @notice EIP-3668: fetch `callData` from one of `urls`, then call `callbackFunction` on
    ///         `sender` with the response and `extraData`.
    error OffchainLookup(address sender, string[] urls, bytes callData, bytes4 callbackFunction, bytes extraData);

    // ----- resolve() -----

    /// @notice `name` is not a well-formed DNS wire-format name (or a label holds `.` or `/`).
    error InvalidDnsName();
    /// @notice No ancestor of the name (itself included) has an owner in the ENS registry.
    error NameNotFound();
    /// @notice The inner call's selector is not a record function this resolver answers.
    error UnsupportedResolverFunction(bytes4 selector);
    /// @notice The inner call's arguments do not decode or name no record file
    ///         (e.g. a text key that is empty, `.`, `..`, holds `/` or a control character).
    error InvalidRecordCall();

    // ----- resolveCallback(): request binding -----

    /// @notice `extraData` is not what this resolver produced on this chain (check hash mismatch).
    error InvalidLookup();
    /// @notice The lookup's deadline passed: resolve again.
    error LookupExpired(uint256 deadline);

    // ----- resolveCallback(): record rejections, in the order the library checks them -----

    /// @notice The response is neither empty nor a `signedRecord`/`signedRecordV2` payload (lib: malformedRecord).
    error MalformedRecord();
    /// @notice The signed result is not the canonical ABI encoding the request returns (lib: invalidResult).
    error InvalidResult();
    /// @notice A v2 record past its `validUntil` (lib: recordExpired).
    error RecordExpired(uint256 validUntil);
    /// @notice The record's epoch is below the owner node's epoch (lib: staleEpoch).
    error StaleEpoch(uint256 recordEpoch, uint256 currentEpoch);
    /// @notice The record's epoch is above the owner node's epoch (lib: futureEpoch).
    error FutureEpoch(uint256 recordEpoch, uint256 currentEpoch);
    /// @notice SIGN 4 is not a canonical signature of the record by the claimed signer (lib: invalidRecordSignature).
    error InvalidRecordSignature();
    /// @notice The SIGN 3 approval is not a canonical signature by the owner (lib: invalidApproval).
    error InvalidApproval();
    /// @notice The signer is not the owner and is approved neither on-chain nor off-chain (lib: unapprovedSigner).
    error UnapprovedSigner(address signer);

    // ----- setters -----

    /// @notice The caller is not the (registry or NameWrapper) owner of `node`.
    error NotNodeOwner(bytes32 node, address caller);
    /// @notice A recordhash must be empty (clear), a 32-byte ed25519 IPNS key, or the 42-byte IPNS
    ///         contenthash `0xe5010172002408011220` ‖ key.
    error InvalidRecordhash();
    /// @notice `setCertificateAuthority` needs both a signer and a recordhash, or neither (to clear).
    error InvalidCertificateAuthority();

    /// @notice The recordhash of `node` changed (`recordhash` is the full contenthash, or empty).
    event RecordhashChanged(bytes32 indexed node, bytes recordhash);
    /// @notice The wallet-wide recordhash of `owner` changed.
    event OwnerRecordhashChanged(address indexed owner, bytes recordhash);
    /// @notice `owner` approved or revoked `signer` for the records of `node` and its wildcard subnames.
    event SignerApprovalChanged(bytes32 indexed node, address indexed owner, address indexed signer, bool approved);
    /// @notice The epoch of `node` was raised: every record and v2 approval of an earlier epoch is revoked.
    event EpochBumped(bytes32 indexed node, uint64 epoch);
    /// @notice The owner of `node` chose its IPFS gateway URL prefixes (empty: use the defaults).
    event GatewaysChanged(bytes32 indexed node, string[] gateways);
    /// @notice The admin changed the default IPFS gateway URL prefixes and the gateway-service URLs.
    event DefaultGatewaysChanged(string[] ipfsGateways, string[] gatewayServices);
    /// @notice The admin set (or, with a zero signer and empty recordhash, cleared) the certificate
    ///         authority: lookups of the certificate record types go to its tree, signed by `signer`.
    event CertificateAuthorityChanged(address indexed signer, bytes recordhash, uint64 epoch);
    /// @notice The admin raised the CA's epoch: every certificate record signed earlier is revoked.
    event CertificateAuthorityEpochBumped(uint64 epoch);
}
