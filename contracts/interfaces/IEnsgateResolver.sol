// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Events, errors and views of the ensgate resolver
/// @notice Settings (recordhash, gateway list, on-chain approvals, epochs) are keyed by the
///         address that set them and by a node. A setting applies to a lookup only when its
///         setter is the owner of the name being resolved, and it covers its node and every name
///         below it. So after a transfer the new owner starts clean, a previous owner's settings
///         never apply, and a setting left on a node nobody owns neither overrides nor blocks its
///         parent. See docs/resolver.md.
interface IEnsgateResolver {
    // ----- lookup (EIP-3668) -----

    /// @notice EIP-3668: fetch `callData` from one of `urls`, then call `callbackFunction` on
    ///         `sender` with the response and `extraData`.
    error OffchainLookup(address sender, string[] urls, bytes callData, bytes4 callbackFunction, bytes extraData);

    // ----- resolve() -----

    /// @notice `name` is not a well-formed DNS wire-format name: an empty label before the end, a
    ///         label over 63 bytes, over 255 bytes in all, trailing bytes, or a label holding `.` or `/`.
    error InvalidDnsName();
    /// @notice No ancestor of the name below its top-level label has an owner.
    error NameNotFound();
    /// @notice The name is under an unwrapped-or-wrapped `.eth` 2LD whose registration ended more
    ///         than the grace period ago: the registry's owner is stale, so nobody owns the name.
    error NameExpired(uint256 expiredAt);
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

    /// @notice The response is neither empty nor a `signedRecord`/`signedRecordV2` payload, or its
    ///         form does not fit the lookup: a certificate lookup takes only a
    ///         `signedCertificateRecord`, any other lookup never one (lib: malformedRecord).
    error MalformedRecord();
    /// @notice The signed result is not the canonical ABI encoding the request returns (lib: invalidResult).
    error InvalidResult();
    /// @notice A v2 record past its `validUntil` (lib: recordExpired).
    error RecordExpired(uint256 validUntil);
    /// @notice The record's epoch is below the name's epoch (lib: staleEpoch).
    error StaleEpoch(uint256 recordEpoch, uint256 currentEpoch);
    /// @notice The record's epoch is above the name's epoch (lib: futureEpoch).
    error FutureEpoch(uint256 recordEpoch, uint256 currentEpoch);
    /// @notice A certificate record issued to an owner who no longer holds the name: transferred,
    ///         or expired and registered again (lib: certificateOwnerChanged).
    error CertificateOwnerChanged(address certifiedOwner, address currentOwner);
    /// @notice SIGN 4 is not a canonical signature of the record by the claimed signer (lib: invalidRecordSignature).
    error InvalidRecordSignature();
    /// @notice The SIGN 3 approval is not a canonical signature by the owner (lib: invalidApproval).
    error InvalidApproval();
    /// @notice The signer is not the owner and is approved neither on-chain nor off-chain (lib: unapprovedSigner).
    error UnapprovedSigner(address signer);

    // ----- setters -----

    /// @notice A recordhash must be empty (clear), a 32-byte ed25519 IPNS key, or the 42-byte IPNS
    ///         contenthash `0xe5010172002408011220` ‖ key.
    error InvalidRecordhash();
    /// @notice `setCertificateAuthority` needs both a signer and a recordhash, or neither (to clear).
    error InvalidCertificateAuthority();

    /// @notice `owner` set (or, with empty `recordhash`, cleared) its recordhash for `node`.
    event RecordhashChanged(address indexed owner, bytes32 indexed node, bytes recordhash);
    /// @notice The wallet-wide recordhash of `owner` changed.
    event OwnerRecordhashChanged(address indexed owner, bytes recordhash);
    /// @notice `owner` approved or revoked `signer` for `node` and every name below it.
    event SignerApprovalChanged(address indexed owner, bytes32 indexed node, address indexed signer, bool approved);
    /// @notice `owner` raised its epoch counter of `node`: every record and v2 approval signed for
    ///         `node` or a name below it under an earlier epoch is revoked.
    event EpochBumped(address indexed owner, bytes32 indexed node, uint64 counter);
    /// @notice `owner` chose the IPFS gateway URL prefixes for `node` (empty: use the defaults).
    event GatewaysChanged(address indexed owner, bytes32 indexed node, string[] gateways);
    /// @notice The admin changed the default IPFS gateway URL prefixes and the gateway-service URLs.
    event DefaultGatewaysChanged(string[] ipfsGateways, string[] gatewayServices);
    /// @notice The admin set (or, with a zero signer and empty recordhash, cleared) the certificate
    ///         authority: lookups of the certificate record types go to its tree, signed by `signer`.
    event CertificateAuthorityChanged(address indexed signer, bytes recordhash, uint64 epoch);
    /// @notice The admin raised the CA's epoch: every certificate record signed earlier is revoked.
    event CertificateAuthorityEpochBumped(uint64 epoch);

    // ----- views -----

    /// @notice Everything a signer needs to know about `name` (DNS wire format), read exactly as
    ///         `resolve()` reads it for a non-certificate record.
    /// @return owner The name's owner: the registry (or NameWrapper) owner of its closest existing
    ///         ancestor below the top-level label, after the `.eth` expiry rule.
    /// @return ownerNode That ancestor's node.
    /// @return epoch The epoch records and v2 approvals of `name` must carry: the sum of `owner`'s
    ///         counters over `name` and its ancestors below the top-level label.
    /// @return recordhash The recordhash lookups of `name` read (the closest one `owner` set on the
    ///         name or an ancestor below the top-level label, else `owner`'s wallet-wide one), or empty.
    function nameContext(bytes calldata name)
        external
        view
        returns (address owner, bytes32 ownerNode, uint256 epoch, bytes memory recordhash);
}
