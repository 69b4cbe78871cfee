// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ERC-7996 (ENSIP-22): optional features a resolver declares
interface IFeatureSupporter {
    /// @notice Whether the contract supports `feature` (e.g. 0x96b62db8, `resolve(name, multicall)` in one lookup).
    /// @param feature The feature id.
    /// @return Whether it is supported.
    function supportsFeature(bytes4 feature) external view returns (bool);
}
