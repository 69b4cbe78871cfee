// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The `callData` of the resolver's EIP-3668 lookups
/// @notice Not a contract: the resolver ABI-encodes a call to `resolveOffchain` as the
///         `OffchainLookup` `callData`, so that a stateless gateway can decode with one ABI
///         everything it needs to find, fetch and pre-verify the record file without RPC.
interface IEnsgateGateway {
    /// @notice What the resolver asks a gateway for.
    /// @param name The DNS wire-format name being resolved (ENSIP-10 `name`).
    /// @param data The inner resolver call (e.g. `text(bytes32,string)` calldata).
    /// @param recordhash The IPNS contenthash holding the records (`0xe5010172002408011220` + key).
    /// @param owner The owner the record must be signed by or approved by (registry owner of the
    ///        closest existing ancestor, or its NameWrapper owner).
    /// @param chainId The chain the resolver runs on (CAIP-10 `eip155:<chainId>` in the messages).
    /// @param epoch The owner's current epoch; v1 records count as epoch 0.
    /// @return The record file's `data` field (a `signedRecord`/`signedRecordV2` payload), or
    ///         empty bytes when the record is not set.
    function resolveOffchain(
        bytes calldata name,
        bytes calldata data,
        bytes calldata recordhash,
        address owner,
        uint256 chainId,
        uint64 epoch
    ) external view returns (bytes memory);
}
