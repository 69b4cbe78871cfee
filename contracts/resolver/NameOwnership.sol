// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBaseRegistrarExpiry, IENSRegistryOwner, INameWrapperOwner} from "../interfaces/IEnsOwnership.sol";
import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {DnsName} from "../libraries/DnsName.sol";
import {EnsReads} from "../libraries/EnsReads.sol";

/// @title Who owns a name, read from ENS
/// @notice The owner of a name is the owner of its closest ancestor (itself included) that exists,
///         below the top-level label: the registry owner, or `NameWrapper.ownerOf` when the
///         registry owner is the NameWrapper. A top-level node's owner is a registrar, never a
///         records owner. Under `.eth`, a 2LD whose registration ended more than `GRACE_PERIOD`
///         ago (the base registrar's `nameExpires`) is owned by nobody, and neither is anything
///         below it: the registry keeps naming the old registrant until someone registers it again.
abstract contract NameOwnership is IEnsgateResolver {
    /// @notice namehash("eth").
    bytes32 public constant ETH_NODE = 0x93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae;
    /// @notice The base registrar's grace period: a `.eth` 2LD stays its registrant's this long after it expires.
    uint256 public constant GRACE_PERIOD = 90 days;

    /// @notice The ENS registry.
    IENSRegistryOwner public immutable ens;
    /// @notice The NameWrapper (zero: none); a registry owner equal to it means "ask `ownerOf`".
    INameWrapperOwner public immutable nameWrapper;
    /// @notice The `.eth` base registrar (zero: no expiry rule, e.g. on chains without `.eth`).
    IBaseRegistrarExpiry public immutable registrar;

    constructor(IENSRegistryOwner ens_, INameWrapperOwner nameWrapper_, IBaseRegistrarExpiry registrar_) {
        ens = ens_;
        nameWrapper = nameWrapper_;
        registrar = registrar_;
    }

    /// @dev The owner of the name: walks `nodes` (`DnsName.suffixNodes`) from the name up to, not
    ///      including, the top-level node. Reverts `NameNotFound` or `NameExpired`.
    /// @return owner The owner.
    /// @return ownerNode The node that has it.
    function _nameOwner(bytes calldata name, uint256[] memory offsets, bytes32[] memory nodes)
        internal
        view
        returns (address owner, bytes32 ownerNode)
    {
        uint256 topLevel = nodes.length - 1;
        for (uint256 i; i < topLevel; ++i) {
            owner = _nodeOwner(nodes[i]);
            if (owner != address(0)) {
                ownerNode = nodes[i];
                break;
            }
        }
        if (owner == address(0)) revert NameNotFound();
        if (nodes[topLevel] == ETH_NODE && address(registrar) != address(0)) {
            bytes32 secondLevelLabel = keccak256(DnsName.label(name, offsets[topLevel - 1]));
            uint256 ownedUntil = EnsReads.nameExpires(registrar, uint256(secondLevelLabel)) + GRACE_PERIOD;
            if (block.timestamp > ownedUntil) revert NameExpired(ownedUntil);
        }
    }

    /// @dev The registry owner of `node`, or its NameWrapper owner when the wrapper holds it.
    function _nodeOwner(bytes32 node) internal view returns (address owner) {
        owner = EnsReads.owner(ens, node);
        if (owner != address(0) && owner == address(nameWrapper)) owner = EnsReads.ownerOf(nameWrapper, uint256(node));
    }
}
