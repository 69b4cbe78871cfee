// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";

/// @title DNS wire-format names as the ensgate resolver reads them (ENSIP-10 `resolve(name, ...)`)
/// @notice One concept: a name in DNS wire format, its labels, the namehash of each of its suffixes,
///         its dotted form (the `Origin` of the signed messages) and its `.well-known` folder.
/// @dev The grammar is exactly the core library's `dnsDecodeName` (lib/names/dnsDecodeName.ts):
///      a label is 1 to 63 bytes, the whole name at most 255 bytes (length octets and the final zero
///      included), no compression, no trailing bytes, and no label holds `.` or `/` (they would
///      change the dotted name or the file path). ENS's `[labelhash]` form is not decoded: an IPNS
///      path needs the label itself.
///
///      Worked example, `alice.eth`:
///
///          name            = 0x05 "alice" 0x03 "eth" 0x00      (11 bytes)
///          labelOffsets    = [0, 6]                            (where each length byte is)
///          suffixNodes     = [namehash("alice.eth"), namehash("eth")]
///          toDotted        = "alice.eth"
///          wellKnownFolder = "/.well-known/eth/alice/"
library DnsName {
    /// @notice The longest label, in bytes (RFC 1035).
    uint256 internal constant MAX_LABEL_LENGTH = 63;
    /// @notice The longest name in wire format, in bytes (RFC 1035), length octets and the final zero included.
    uint256 internal constant MAX_NAME_LENGTH = 255;

    /// @dev One in every byte, and the high bit of every byte (word-parallel byte tests).
    uint256 private constant ONES = 0x0101010101010101010101010101010101010101010101010101010101010101;
    uint256 private constant HIGHS = 0x8080808080808080808080808080808080808080808080808080808080808080;

    /// @notice The offset of each label's length byte, first label first.
    /// @dev Reverts `InvalidDnsName` on anything the grammar above rejects.
    ///      `0x05 "alice" 0x03 "eth" 0x00` gives `[0, 6]`; `0x00` (the root) is rejected.
    ///      `labelOffsetsReference` is the same function in plain Solidity; a test compares them.
    /// @param name The name in DNS wire format.
    /// @return offsets The offsets; at least one.
    function labelOffsets(bytes calldata name) internal pure returns (uint256[] memory offsets) {
        uint256 size = name.length;
        if (size < 2 || size > MAX_NAME_LENGTH) revert IEnsgateResolver.InvalidDnsName();
        bool ok = true;
        // Tests 32 label bytes per step for `.` and `/` and writes the offsets in place: the plain
        // loop costs about 4,700 gas for `alice.eth`, this about 700 (bench: resolve()).
        assembly ("memory-safe") {
            offsets := mload(0x40)
            let count := 0
            let pos := 0
            for {} 1 {} {
                if iszero(lt(pos, size)) {
                    ok := 0
                    break
                }
                let start := add(name.offset, pos)
                let length := byte(0, calldataload(start))
                if iszero(length) { break }
                if gt(length, MAX_LABEL_LENGTH) { ok := 0 }
                count := add(count, 1)
                mstore(add(offsets, shl(5, count)), pos)
                // Setting the low bit of every byte maps "." (0x2e) and "/" (0x2f), and only them,
                // to 0x2f; bytes past the label are masked to 0xff. A zero byte of the XOR is a hit.
                for { let i := 0 } lt(i, length) { i := add(i, 32) } {
                    let w := xor(or(calldataload(add(add(start, 1), i)), ONES), mul(ONES, 0x2f))
                    if lt(sub(length, i), 32) { w := or(w, sub(shl(shl(3, sub(32, sub(length, i))), 1), 1)) }
                    if and(and(sub(w, ONES), not(w)), HIGHS) { ok := 0 }
                }
                pos := add(pos, add(length, 1))
            }
            if iszero(and(eq(add(pos, 1), size), gt(count, 0))) { ok := 0 }
            mstore(offsets, count)
            mstore(0x40, add(offsets, shl(5, add(count, 1))))
        }
        if (!ok) revert IEnsgateResolver.InvalidDnsName();
    }

    /// @notice `labelOffsets` in plain Solidity: the readable reference of the optimized routine.
    /// @param name The name in DNS wire format.
    /// @return offsets The offsets; at least one.
    function labelOffsetsReference(bytes calldata name) internal pure returns (uint256[] memory offsets) {
        uint256 size = name.length;
        if (size < 2 || size > MAX_NAME_LENGTH) revert IEnsgateResolver.InvalidDnsName();
        uint256 count;
        uint256 pos;
        // First pass: validate and count the labels.
        while (true) {
            if (pos >= size) revert IEnsgateResolver.InvalidDnsName();
            uint256 length = uint8(name[pos]);
            if (length == 0) break;
            if (length > MAX_LABEL_LENGTH || pos + 1 + length >= size) revert IEnsgateResolver.InvalidDnsName();
            for (uint256 i = pos + 1; i <= pos + length; ++i) {
                bytes1 character = name[i];
                if (character == "." || character == "/") revert IEnsgateResolver.InvalidDnsName();
            }
            ++count;
            pos += 1 + length;
        }
        if (count == 0 || pos + 1 != size) revert IEnsgateResolver.InvalidDnsName();
        // Second pass: record where each label starts.
        offsets = new uint256[](count);
        pos = 0;
        for (uint256 i; i < count; ++i) {
            offsets[i] = pos;
            pos += 1 + uint8(name[pos]);
        }
    }

    /// @notice The label whose length byte is at `offset`.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offset One of `labelOffsets(name)`.
    /// @return The label's bytes.
    function label(bytes calldata name, uint256 offset) internal pure returns (bytes calldata) {
        return name[offset + 1:offset + 1 + uint8(name[offset])];
    }

    /// @notice EIP-137 namehash of every suffix: `nodes[i]` is the node of the name from label `i` on.
    /// @dev `alice.eth` gives `[namehash("alice.eth"), namehash("eth")]`: the last entry is the
    ///      top-level node. `suffixNodesReference` is the plain-Solidity reference.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offsets `labelOffsets(name)`.
    /// @return nodes One node per label.
    function suffixNodes(bytes calldata name, uint256[] memory offsets) internal pure returns (bytes32[] memory nodes) {
        nodes = new bytes32[](offsets.length);
        // Hashes each label straight from calldata in scratch space: the plain version copies
        // every label and every (node, labelhash) pair into fresh memory, about 1,300 gas a label.
        assembly ("memory-safe") {
            let node := 0
            let scratch := mload(0x40)
            for { let i := mload(offsets) } i { i := sub(i, 1) } {
                let start := add(name.offset, mload(add(offsets, shl(5, i))))
                let length := byte(0, calldataload(start))
                calldatacopy(scratch, add(start, 1), length)
                mstore(0x20, keccak256(scratch, length))
                mstore(0x00, node)
                node := keccak256(0x00, 0x40)
                mstore(add(nodes, shl(5, i)), node)
            }
        }
    }

    /// @notice `suffixNodes` in plain Solidity: the readable reference of the optimized routine.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offsets `labelOffsets(name)`.
    /// @return nodes One node per label.
    function suffixNodesReference(bytes calldata name, uint256[] memory offsets)
        internal
        pure
        returns (bytes32[] memory nodes)
    {
        nodes = new bytes32[](offsets.length);
        bytes32 node;
        for (uint256 i = offsets.length; i > 0; --i) {
            node = keccak256(abi.encodePacked(node, keccak256(label(name, offsets[i - 1]))));
            nodes[i - 1] = node;
        }
    }

    /// @notice The dotted form of the name: `alice.eth`.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offsets `labelOffsets(name)`.
    /// @return dotted The labels joined by `.`.
    function toDotted(bytes calldata name, uint256[] memory offsets) internal pure returns (bytes memory dotted) {
        // Drop the first length byte and the final zero; every other length byte becomes a dot.
        dotted = name[1:name.length - 1];
        for (uint256 i = 1; i < offsets.length; ++i) {
            dotted[offsets[i] - 1] = ".";
        }
    }

    /// @notice The name's records folder: `/.well-known/` then the labels from the top down, each
    ///      followed by `/` (`/.well-known/eth/alice/`), as lib's `buildWellKnownPath`.
    /// @dev `wellKnownFolderReference` is the plain-Solidity reference.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offsets `labelOffsets(name)`.
    /// @return folder The folder path.
    function wellKnownFolder(bytes calldata name, uint256[] memory offsets) internal pure returns (bytes memory folder) {
        // The folder is as long as the name plus 12: "/.well-known/" (13) replaces the first length
        // byte, each other length byte and the final zero become one "/" between or after labels.
        folder = new bytes(name.length + 12);
        // Copies the labels straight from calldata into one buffer: one concat per label costs
        // about 1,200 gas a label in fresh memory.
        assembly ("memory-safe") {
            let w := add(folder, 32)
            mstore(w, "/.well-known/")
            w := add(w, 13)
            for { let i := mload(offsets) } i { i := sub(i, 1) } {
                let start := add(name.offset, mload(add(offsets, shl(5, i))))
                let length := byte(0, calldataload(start))
                calldatacopy(w, add(start, 1), length)
                mstore8(add(w, length), 0x2f)
                w := add(w, add(length, 1))
            }
        }
    }

    /// @notice `wellKnownFolder` in plain Solidity: the readable reference of the optimized routine.
    /// @param name The name in DNS wire format (already checked by `labelOffsets`).
    /// @param offsets `labelOffsets(name)`.
    /// @return folder The folder path.
    function wellKnownFolderReference(bytes calldata name, uint256[] memory offsets)
        internal
        pure
        returns (bytes memory folder)
    {
        folder = "/.well-known/";
        for (uint256 i = offsets.length; i > 0; --i) {
            folder = bytes.concat(folder, label(name, offsets[i - 1]), "/");
        }
    }
}
