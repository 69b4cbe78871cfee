// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Word-parallel text encodings for the ensgate resolver
/// @notice Lowercase hex, EIP-55 checksummed addresses, RFC 4648 base32 (lowercase, unpadded, as
///         multibase `b`) and decimal numbers, written for gas: hex and base32 spread a whole word
///         of input into one byte per digit with a handful of shift-and-mask steps instead of a
///         loop per character.
library EnsgateEncoding {
    /// @dev 0x0101...01: one in every byte.
    uint256 private constant ONES = 0x0101010101010101010101010101010101010101010101010101010101010101;

    /// @notice Spreads the 16 bytes of `x` (< 2^128) into 32 bytes, one nibble per byte.
    function _spreadNibbles(uint256 x) private pure returns (uint256) {
        x =
            ((x << 64) & 0x0000000000000000ffffffffffffffff00000000000000000000000000000000) |
            (x & 0x000000000000000000000000000000000000000000000000ffffffffffffffff);
        x =
            ((x << 32) & 0x00000000ffffffff000000000000000000000000ffffffff0000000000000000) |
            (x & 0x000000000000000000000000ffffffff000000000000000000000000ffffffff);
        x =
            ((x << 16) & 0x0000ffff000000000000ffff000000000000ffff000000000000ffff00000000) |
            (x & 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff);
        x =
            ((x << 8) & 0x00ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff0000) |
            (x & 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff);
        return
            ((x << 4) & 0x0f000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f00) |
            (x & 0x000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f000f);
    }

    /// @notice 32 lowercase hex digits of `x` (< 2^128), as one left-to-right ASCII word.
    function hex16(uint256 x) internal pure returns (uint256) {
        x = _spreadNibbles(x);
        // Digits 0-9 -> '0'-'9' (+0x30); 10-15 -> 'a'-'f' (+0x57 = +0x30 + 0x27).
        uint256 isLetter = ((x + 6 * ONES) >> 4) & ONES;
        return x + 0x30 * ONES + isLetter * 0x27;
    }

    /// @notice 64 lowercase hex digits of `value` as two ASCII words (no `0x`).
    function hex32(bytes32 value) internal pure returns (uint256 high, uint256 low) {
        high = hex16(uint256(value) >> 128);
        low = hex16(uint256(value) & type(uint128).max);
    }

    /// @notice The 40 EIP-55 checksummed hex digits of `account` (no `0x`): 32 in `high`, the
    ///         last 8 left-aligned in `low`.
    function checksum(address account) internal pure returns (uint256 high, uint256 low) {
        uint256 a = uint256(uint160(account));
        high = hex16(a >> 32);
        low = hex16(a & 0xffffffff) << 192;
        uint256 hash;
        // Hashes the 40 digits in scratch space: no memory allocation for a 40-byte buffer.
        assembly ("memory-safe") {
            mstore(0x00, high)
            mstore(0x20, low)
            hash := keccak256(0x00, 40)
        }
        // A letter is upper-cased when its hash nibble is >= 8 (bit 3 set); letters have bit 6 set.
        uint256 hashHigh = _spreadNibbles(hash >> 128);
        uint256 hashLow = _spreadNibbles((hash >> 96) & 0xffffffff) << 192;
        uint256 caseBits = 0x20 * ONES;
        high ^= ((hashHigh << 2) & ((high >> 1) & caseBits));
        low ^= ((hashLow << 2) & ((low >> 1) & caseBits));
    }

    /// @notice Spreads the 20 bytes of `x` (< 2^160) into 32 bytes, five bits per byte.
    function _spreadQuints(uint256 x) private pure returns (uint256) {
        x =
            ((x << 48) & 0x000000000000ffffffffffffffffffff00000000000000000000000000000000) |
            (x & 0x00000000000000000000000000000000000000000000ffffffffffffffffffff);
        x =
            ((x << 24) & 0x000000ffffffffff0000000000000000000000ffffffffff0000000000000000) |
            (x & 0x0000000000000000000000ffffffffff0000000000000000000000ffffffffff);
        x =
            ((x << 12) & 0x000fffff00000000000fffff00000000000fffff00000000000fffff00000000) |
            (x & 0x00000000000fffff00000000000fffff00000000000fffff00000000000fffff);
        x =
            ((x << 6) & 0x03ff000003ff000003ff000003ff000003ff000003ff000003ff000003ff0000) |
            (x & 0x000003ff000003ff000003ff000003ff000003ff000003ff000003ff000003ff);
        return
            ((x << 3) & 0x1f001f001f001f001f001f001f001f001f001f001f001f001f001f001f001f00) |
            (x & 0x001f001f001f001f001f001f001f001f001f001f001f001f001f001f001f001f);
    }

    /// @notice 32 base32 digits (RFC 4648 alphabet, lowercase) of the 20 bytes `x` (< 2^160).
    function base32Word(uint256 x) internal pure returns (uint256) {
        x = _spreadQuints(x);
        // 0-25 -> 'a'-'z' (+0x61); 26-31 -> '2'-'7' (+0x18 = +0x61 - 0x49).
        uint256 isDigit = ((x + 6 * ONES) >> 5) & ONES;
        return x + 0x61 * ONES - isDigit * 0x49;
    }

    /// @notice The CIDv1 (libp2p-key, identity multihash) of an ed25519 IPNS key in base32
    ///         without the multibase prefix `b`: 64 digits as two ASCII words.
    /// @dev The CID bytes are 0x0172 0x002408011220 ‖ key (40 bytes = 64 base32 digits exactly).
    function ipnsKeyBase32(bytes32 key) internal pure returns (uint256 high, uint256 low) {
        uint256 k = uint256(key);
        high = base32Word((uint256(0x0172002408011220) << 96) | (k >> 160));
        low = base32Word(k & type(uint160).max);
    }

    /// @notice The multibase (`b`) base32 CIDv1 of an ed25519 IPNS key: 65 characters, `bafzaa…`.
    function ipnsCidString(bytes32 key) internal pure returns (bytes memory) {
        (uint256 high, uint256 low) = ipnsKeyBase32(key);
        return abi.encodePacked("b", high, low);
    }

    /// @dev Numbers below this have at most 32 digits: `decimalWord` writes them as one word.
    uint256 private constant SHORT_DECIMAL_LIMIT = 1e32;

    /// @notice Number of decimal digits of `value` (1 for zero).
    function decimalLength(uint256 value) internal pure returns (uint256 length) {
        length = 1;
        while (value >= 10) {
            value /= 10;
            ++length;
        }
    }

    /// @notice The decimal digits of `value` (< 10^32) as one left-aligned ASCII word, zero after
    ///         the digits, and how many digits there are.
    function decimalWord(uint256 value) internal pure returns (uint256 word, uint256 length) {
        // Shifts each digit in at the top of the word, last digit first: one pass, where counting
        // the digits first and writing them with MSTORE8 costs about twice as much.
        assembly ("memory-safe") {
            for {} 1 {} {
                word := or(shr(8, word), shl(248, add(48, mod(value, 10))))
                length := add(length, 1)
                value := div(value, 10)
                if iszero(value) { break }
            }
        }
    }

    /// @notice Writes `value` in decimal at memory `ptr` and returns the end pointer.
    /// @dev Up to 32 digits are written with one MSTORE: the bytes from the end up to `ptr + 32`
    ///      are zeroed, so write what follows afterwards.
    function writeDecimal(uint256 ptr, uint256 value) internal pure returns (uint256 end) {
        if (value < SHORT_DECIMAL_LIMIT) {
            (uint256 word, uint256 length) = decimalWord(value);
            // One MSTORE of the digit word into the caller's buffer.
            assembly ("memory-safe") {
                mstore(ptr, word)
            }
            return ptr + length;
        }
        end = ptr + decimalLength(value);
        // MSTORE8 per digit from the end: writing into the caller's buffer needs raw memory access.
        assembly ("memory-safe") {
            let p := end
            for {} 1 {} {
                p := sub(p, 1)
                mstore8(p, add(48, mod(value, 10)))
                value := div(value, 10)
                if iszero(value) { break }
            }
        }
    }

    /// @notice `value` in decimal as bytes.
    function decimal(uint256 value) internal pure returns (bytes memory out) {
        uint256 length = value < SHORT_DECIMAL_LIMIT ? 32 : decimalLength(value);
        out = new bytes(length);
        uint256 ptr;
        // The address of `out`'s first byte, for writeDecimal.
        assembly ("memory-safe") {
            ptr := add(out, 32)
        }
        uint256 end = writeDecimal(ptr, value);
        // Trims a short number's 32-byte allocation to its digits (the rest is zero already).
        assembly ("memory-safe") {
            mstore(out, sub(end, ptr))
        }
    }

    /// @notice `0x` followed by the 64 lowercase hex digits of `value`.
    function hexString(bytes32 value) internal pure returns (bytes memory) {
        (uint256 high, uint256 low) = hex32(value);
        return abi.encodePacked("0x", high, low);
    }

    /// @notice `0x` followed by the 40 EIP-55 checksummed hex digits of `account`.
    /// @dev Reference: OpenZeppelin `Strings.toChecksumHexString` (compared in test/contracts/encoding.test.ts).
    function checksumString(address account) internal pure returns (bytes memory) {
        (uint256 high, uint256 low) = checksum(account);
        return abi.encodePacked("0x", high, bytes8(bytes32(low)));
    }

    /// @notice `0x` followed by the 8 lowercase hex digits of `value`.
    function hexString4(bytes4 value) internal pure returns (bytes memory) {
        return abi.encodePacked("0x", bytes8(bytes32(hex16(uint32(value)) << 192)));
    }
}
