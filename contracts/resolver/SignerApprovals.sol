// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";

/// @title On-chain approvals of records signers, kept per owner
/// @notice An owner approves a signer (for example a key derived with KEYGEN, or a service) for a
///         node and every name below it. Like every ensgate setting, an approval is stored under
///         the address that made it, with no ownership check, and counts only while that address
///         owns the name being resolved: it lapses when the name changes hands and never applies
///         to another owner's names. Off-chain approvals (SIGN 3) need no transaction at all.
abstract contract SignerApprovals is IEnsgateResolver {
    mapping(address owner => mapping(bytes32 node => mapping(address signer => bool))) private _approvals;

    /// @notice Approves or revokes `signer` for the caller's names at `node` and below.
    ///         Emits {SignerApprovalChanged}.
    /// @param node The ENS node.
    /// @param signer The records signer.
    /// @param approved True to approve, false to revoke.
    function approve(bytes32 node, address signer, bool approved) external {
        _approvals[msg.sender][node][signer] = approved;
        emit SignerApprovalChanged(msg.sender, node, signer, approved);
    }

    /// @notice Whether `owner` approved `signer` on-chain at `node` itself.
    /// @param owner The address that approved.
    /// @param node The ENS node.
    /// @param signer The records signer.
    /// @return The approval.
    function isApprovedSigner(address owner, bytes32 node, address signer) external view returns (bool) {
        return _approvals[owner][node][signer];
    }

    /// @dev Whether `owner` approved `signer` on the name or an ancestor: `nodes` are the name's
    ///      suffix nodes (`DnsName.suffixNodes`); the top-level node, the last, never counts, as
    ///      for every other setting (`RecordTrees._treeOf`).
    function _isApprovedOnPath(address owner, bytes32[] memory nodes, address signer) internal view returns (bool) {
        for (uint256 i; i + 1 < nodes.length; ++i) {
            if (_approvals[owner][nodes[i]][signer]) return true;
        }
        return false;
    }
}
