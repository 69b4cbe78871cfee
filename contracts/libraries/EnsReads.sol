// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBaseRegistrarExpiry, IENSRegistryOwner, INameWrapperOwner} from "../interfaces/IEnsOwnership.sol";

/// @title The three ENS views the resolver reads, as one-word static calls
/// @notice One concept: `ens.owner(node)`, `nameWrapper.ownerOf(id)` and `registrar.nameExpires(id)`,
///         with exactly the behaviour of the high-level calls (`…Reference`): a revert is bubbled
///         with its data, return data shorter than a word reverts with no data, and so does an
///         address word with any of its upper 96 bits set (the ABI decoder's check).
/// @dev Why not the high-level calls: they encode the call and decode the answer in fresh memory;
///      one STATICCALL in scratch space costs about 200 gas less per read (bench: resolve()).
library EnsReads {
    /// @notice `ens.owner(node)`.
    /// @param ens The ENS registry.
    /// @param node The node.
    /// @return The registry owner.
    function owner(IENSRegistryOwner ens, bytes32 node) internal view returns (address) {
        return _toAddress(_staticcallWord(address(ens), IENSRegistryOwner.owner.selector, uint256(node)));
    }

    /// @notice `nameWrapper.ownerOf(id)`.
    /// @param nameWrapper The NameWrapper.
    /// @param id The token id (`uint256(node)`).
    /// @return The wrapped owner.
    function ownerOf(INameWrapperOwner nameWrapper, uint256 id) internal view returns (address) {
        return _toAddress(_staticcallWord(address(nameWrapper), INameWrapperOwner.ownerOf.selector, id));
    }

    /// @notice `registrar.nameExpires(id)`.
    /// @param registrar The `.eth` base registrar.
    /// @param id `uint256(labelhash)`.
    /// @return The expiry.
    function nameExpires(IBaseRegistrarExpiry registrar, uint256 id) internal view returns (uint256) {
        return _staticcallWord(address(registrar), IBaseRegistrarExpiry.nameExpires.selector, id);
    }

    /// @notice `owner`, as the high-level call: the readable reference.
    function ownerReference(IENSRegistryOwner ens, bytes32 node) internal view returns (address) {
        return ens.owner(node);
    }

    /// @notice `ownerOf`, as the high-level call: the readable reference.
    function ownerOfReference(INameWrapperOwner nameWrapper, uint256 id) internal view returns (address) {
        return nameWrapper.ownerOf(id);
    }

    /// @notice `nameExpires`, as the high-level call: the readable reference.
    function nameExpiresReference(IBaseRegistrarExpiry registrar, uint256 id) internal view returns (uint256) {
        return registrar.nameExpires(id);
    }

    /// @dev The first word `target.<selector>(argument)` returns; bubbles a revert, reverts with no
    ///      data on shorter return data.
    function _staticcallWord(address target, bytes4 selector, uint256 argument) private view returns (uint256 word) {
        // Call and answer in scratch space (0x00-0x3f): no memory allocation.
        assembly ("memory-safe") {
            mstore(0x00, selector)
            mstore(0x04, argument)
            if iszero(staticcall(gas(), target, 0x00, 0x24, 0x00, 0x20)) {
                let data := mload(0x40)
                returndatacopy(data, 0, returndatasize())
                revert(data, returndatasize())
            }
            if lt(returndatasize(), 0x20) { revert(0, 0) }
            word := mload(0x00)
        }
    }

    /// @dev An ABI address word; reverts with no data when its upper 96 bits are not zero.
    function _toAddress(uint256 word) private pure returns (address) {
        if (word >> 160 != 0) _revertEmpty();
        return address(uint160(word));
    }

    /// @dev Reverts with no data, as the ABI decoder does.
    function _revertEmpty() private pure {
        // Solidity has no statement for a revert without data.
        assembly ("memory-safe") {
            revert(0, 0)
        }
    }
}
