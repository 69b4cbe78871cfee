// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ENSIP-10 extended resolver
/// @notice A resolver that answers for a DNS-encoded name and may revert with an
///         EIP-3668 `OffchainLookup` to have the client fetch the answer off-chain.
interface IExtendedResolver {
    /// @notice Resolves `data` (an ABI-encoded resolver call) for the DNS-encoded `name`.
    /// @param name The DNS wire-format name being resolved.
    /// @param data The ABI-encoded inner resolver call (e.g. `text(bytes32,string)`).
    /// @return The ABI-encoded result of the inner call.
    function resolve(bytes calldata name, bytes calldata data) external view returns (bytes memory);
}
