// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";

/// @title Recordhashes: where a records tree lives, as an ed25519 IPNS key
/// @notice The resolver stores a recordhash as the 32-byte ed25519 key of its IPNS name and writes
///         it back as the full IPNS contenthash (ENSIP-7: `0xe5010172002408011220` ‖ key).
/// @dev `parse(0x…32 bytes…)` and `parse(0xe5010172002408011220 ‖ key)` both give `key`;
///      `parse(0x)` gives zero (clear); anything else reverts `InvalidRecordhash`.
library IpnsRecordhash {
    /// @dev Prefix of a full IPNS (ed25519, identity multihash) contenthash: the key follows.
    bytes10 internal constant IPNS_ED25519_PREFIX = 0xe5010172002408011220;

    /// @notice The IPNS key of a recordhash argument; reverts `InvalidRecordhash`.
    /// @param value Empty, a 32-byte ed25519 IPNS key, or the 42-byte IPNS contenthash.
    /// @return key The key (zero for empty).
    function parse(bytes calldata value) internal pure returns (bytes32 key) {
        if (value.length == 0) return 0;
        if (value.length == 32) key = bytes32(value);
        else if (value.length == 42 && bytes10(value[:10]) == IPNS_ED25519_PREFIX) key = bytes32(value[10:]);
        else revert IEnsgateResolver.InvalidRecordhash();
        if (key == 0) revert IEnsgateResolver.InvalidRecordhash();
    }

    /// @notice The full IPNS contenthash of a key, or empty for none.
    /// @param key The key (zero: none).
    /// @return The contenthash.
    function format(bytes32 key) internal pure returns (bytes memory) {
        return key == 0 ? bytes("") : abi.encodePacked(IPNS_ED25519_PREFIX, key);
    }
}
