// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {IpnsRecordhash} from "../libraries/IpnsRecordhash.sol";
import {RecordTrees} from "./RecordTrees.sol";

/// @title The certificate authority whose tree answers the certificate record types
/// @notice The CA's text keys (`org.ensgate.ca.*`) of every name are read from the CA's IPNS tree
///         and must be signed by the CA's signer under the CA's epoch, for the name's current
///         owner (`signedCertificateRecord`'s certified owner); the owner's tree is never read for
///         them, and the CA's signature counts for nothing else (docs/protocol.md §6a). Every other
///         record type, TLSA included, is the owner's. Set by the resolver's admin.
abstract contract CertificateAuthority is IEnsgateResolver, Ownable2Step {
    /// @dev The CA's records signer and epoch share one slot.
    struct Authority {
        address signer;
        uint64 epoch;
    }

    Authority private _authority;
    bytes32 private _authorityKey;

    /// @notice Sets the certificate authority. The CA's epoch is kept; a zero signer with an empty
    ///         recordhash clears the CA (certificate lookups then answer empty).
    ///         Emits {CertificateAuthorityChanged}.
    /// @param caSigner The CA's records signer: it plays the owner in the callback's rules.
    /// @param caRecordhash The CA's IPNS tree: a 32-byte ed25519 IPNS key or the full IPNS contenthash.
    function setCertificateAuthority(address caSigner, bytes calldata caRecordhash) external onlyOwner {
        bytes32 key = IpnsRecordhash.parse(caRecordhash);
        if ((caSigner == address(0)) != (key == 0)) revert InvalidCertificateAuthority();
        _authority.signer = caSigner;
        _authorityKey = key;
        emit CertificateAuthorityChanged(caSigner, IpnsRecordhash.format(key), _authority.epoch);
    }

    /// @notice Raises the CA's epoch: every certificate record the CA signed under an earlier
    ///         epoch is rejected from now on (`StaleEpoch`). Emits {CertificateAuthorityEpochBumped}.
    function bumpCertificateAuthorityEpoch() external onlyOwner {
        uint64 epoch = _authority.epoch + 1;
        _authority.epoch = epoch;
        emit CertificateAuthorityEpochBumped(epoch);
    }

    /// @notice The certificate authority.
    /// @return signer The CA's records signer (zero: no CA).
    /// @return caRecordhash The CA's IPNS tree (full IPNS contenthash), or empty.
    /// @return epoch The CA's epoch.
    function certificateAuthority() external view returns (address signer, bytes memory caRecordhash, uint64 epoch) {
        Authority memory authority = _authority;
        return (authority.signer, IpnsRecordhash.format(_authorityKey), authority.epoch);
    }

    /// @dev Where every certificate record lives: the CA's tree on the default gateways, with the
    ///      CA's signer in the owner's place and the CA's epoch.
    function _certificateTree() internal view returns (address signer, RecordTrees.Tree memory tree) {
        Authority memory authority = _authority;
        signer = authority.signer;
        tree.ipnsKey = _authorityKey;
        tree.epoch = authority.epoch;
    }
}
