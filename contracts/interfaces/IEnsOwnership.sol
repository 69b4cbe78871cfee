// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The part of the ENS registry the resolver reads
interface IENSRegistryOwner {
    /// @notice The registry owner of `node` (zero when the node does not exist).
    /// @param node The ENS node.
    /// @return The owner address.
    function owner(bytes32 node) external view returns (address);
}

/// @title The part of the ENS NameWrapper the resolver reads
interface INameWrapperOwner {
    /// @notice The owner of the wrapped name whose token id is `uint256(node)`.
    /// @param id The token id (`uint256(node)`).
    /// @return The wrapped owner (zero when unwrapped or expired).
    function ownerOf(uint256 id) external view returns (address);
}

/// @title The part of the ENS `.eth` base registrar the resolver reads
interface IBaseRegistrarExpiry {
    /// @notice When the registration of the `.eth` 2LD whose labelhash is `id` ends (zero: never registered).
    /// @param id `uint256(labelhash(label))`.
    /// @return The expiry, in unix seconds.
    function nameExpires(uint256 id) external view returns (uint256);
}
