// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Deterministic gas measurement of a view call (scripts/bench-gas.ts)
/// @notice Measures `gasleft()` before and after a STATICCALL to an already warm account, with the
///         calldata encoded beforehand and no return data copied: the figure is the callee's
///         execution gas plus the 100-gas warm CALL, without the 21,000 intrinsic gas and without
///         transaction calldata cost. Call it with eth_call: each call starts with cold storage.
contract GasHarness {
    /// @notice Gas used by `target.staticcall(payload)`, and whether it reverted.
    /// @param target The contract to call.
    /// @param payload The full calldata.
    /// @return gasUsed The gas the call used.
    /// @return reverted Whether it reverted (e.g. with OffchainLookup).
    function measure(address target, bytes calldata payload) external view returns (uint256 gasUsed, bool reverted) {
        bytes memory data = payload;
        uint256 size;
        assembly ("memory-safe") {
            size := extcodesize(target) // warms the account outside the measured window
        }
        require(size != 0, "no code");
        uint256 start;
        bool ok;
        assembly ("memory-safe") {
            start := gas()
            ok := staticcall(gas(), target, add(data, 32), mload(data), 0, 0)
            gasUsed := sub(start, gas())
        }
        reverted = !ok;
    }
}
