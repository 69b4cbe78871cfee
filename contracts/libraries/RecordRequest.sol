// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {IRecordReads} from "../interfaces/IRecordReads.sol";
import {EnsgateEncoding} from "./EnsgateEncoding.sol";

/// @title The inner resolver call of an ENSIP-10 `resolve(name, data)`, as a record request
/// @notice One concept: which record file a call asks for, and what shape its signed result has.
///         The record type string is the file's path below the name's folder without `.json`, and
///         it is what SIGN 4 signs as `Record Type` (lib/records/recordPath.ts `buildRecordType`).
/// @dev Worked examples (`node` is ignored: the name travels in `resolve`'s own argument):
///
///          text(node, "avatar")                 -> text/avatar          KIND_STRING
///          addr(node)                           -> address/60           KIND_ADDRESS
///          addr(node, 60)                       -> address/60           KIND_ETH_MULTICOIN
///          addr(node, 0)                        -> address/0            KIND_BYTES
///          interfaceImplementer(node, 0x01ffc9a7) -> interface/0x01ffc9a7 KIND_ADDRESS
///          ABI(node, 5)                         -> abi/1, abi/4 (one file per bit) KIND_ABI
///          dnsRecord(node, keccak(owner), 1)    -> dns/0x<keccak>/1     KIND_BYTES
library RecordRequest {
    /// @dev How a request's stored result is shaped (what the callback checks and answers).
    uint8 internal constant KIND_STRING = 0; // text, name
    uint8 internal constant KIND_BYTES = 1; // contenthash, zonehash, dnsRecord, addr(node, coinType != 60)
    uint8 internal constant KIND_ADDRESS = 2; // addr(node), interfaceImplementer
    uint8 internal constant KIND_ETH_MULTICOIN = 3; // addr(node, 60): stored address, answered as bytes
    uint8 internal constant KIND_PUBKEY = 4; // pubkey
    uint8 internal constant KIND_ABI = 5; // ABI(node, contentTypes)

    /// @dev The certificate authority's text keys all start with this prefix
    ///      (lib/certs/certificateRecordTypes.ts `CERTIFICATE_TEXT_KEY_PREFIX`):
    ///      `org.ensgate.ca.chain`, `org.ensgate.ca.tlsa`. Every other key, and every other record
    ///      type (TLSA included), belongs to the name's owner.
    bytes15 internal constant CERTIFICATE_TEXT_KEY_PREFIX = "org.ensgate.ca.";
    uint256 private constant CERTIFICATE_TEXT_KEY_PREFIX_LENGTH = 15;

    /// @notice A parsed inner call.
    struct Request {
        uint256 kind;
        /// @dev ABI requests: the requested bitmask (one candidate file per set bit).
        uint256 contentTypes;
        /// @dev SIGN 4 `Record Type`; empty for ABI requests (built from the result's content type).
        bytes recordType;
        /// @dev False when the record type holds `?`, `#`, `%` or `\`: it cannot go into a URL path as is.
        bool urlSafe;
        /// @dev A certificate authority's text key: answered from the CA's tree, bound to the owner.
        bool certificate;
    }

    /// @notice Parses the inner call; reverts `UnsupportedResolverFunction` or `InvalidRecordCall`.
    /// @param data The inner resolver call.
    /// @return request The record it asks for.
    function parse(bytes calldata data) internal pure returns (Request memory request) {
        if (data.length < 4) revert IEnsgateResolver.UnsupportedResolverFunction(bytes4(0));
        bytes4 selector = bytes4(data[:4]);
        request.urlSafe = true;
        if (selector == IRecordReads.text.selector) {
            bytes calldata key = dynamicArgument(data, 1);
            (request.recordType, request.urlSafe) = textRecordType(key);
            request.certificate = key.length > CERTIFICATE_TEXT_KEY_PREFIX_LENGTH
                && bytes15(key[:CERTIFICATE_TEXT_KEY_PREFIX_LENGTH]) == CERTIFICATE_TEXT_KEY_PREFIX;
            return request; // KIND_STRING
        }
        if (selector == IRecordReads.contenthash.selector) return _fixed(data, KIND_BYTES, "contenthash");
        if (selector == bytes4(keccak256("addr(bytes32)"))) return _fixed(data, KIND_ADDRESS, "address/60");
        if (selector == IRecordReads.name.selector) return _fixed(data, KIND_STRING, "name");
        if (selector == IRecordReads.pubkey.selector) return _fixed(data, KIND_PUBKEY, "pubkey");
        if (selector == IRecordReads.zonehash.selector) return _fixed(data, KIND_BYTES, "dns/zonehash");
        if (selector == bytes4(keccak256("addr(bytes32,uint256)"))) {
            uint256 coinType = _word(data, 1);
            if (coinType == 60) return _fixed(data, KIND_ETH_MULTICOIN, "address/60");
            return _fixed(data, KIND_BYTES, bytes.concat("address/", EnsgateEncoding.decimal(coinType)));
        }
        if (selector == IRecordReads.interfaceImplementer.selector) {
            bytes32 word = bytes32(_word(data, 1));
            if (uint256(word) << 32 != 0) revert IEnsgateResolver.InvalidRecordCall();
            return _fixed(data, KIND_ADDRESS, bytes.concat("interface/", EnsgateEncoding.hexString4(bytes4(word))));
        }
        if (selector == IRecordReads.ABI.selector) {
            uint256 contentTypes = _word(data, 1);
            if (contentTypes == 0) revert IEnsgateResolver.InvalidRecordCall();
            request = _fixed(data, KIND_ABI, "");
            request.contentTypes = contentTypes;
            return request;
        }
        bytes32 nameHash;
        if (selector == bytes4(keccak256("dnsRecord(bytes32,bytes32,uint16)"))) {
            nameHash = bytes32(_word(data, 1));
        } else if (selector == bytes4(keccak256("dnsRecord(bytes32,bytes,uint16)"))) {
            nameHash = keccak256(dynamicArgument(data, 1));
        } else {
            revert IEnsgateResolver.UnsupportedResolverFunction(selector);
        }
        uint256 resource = _word(data, 2);
        if (resource > type(uint16).max) revert IEnsgateResolver.InvalidRecordCall();
        return _fixed(
            data,
            KIND_BYTES,
            bytes.concat("dns/", EnsgateEncoding.hexString(nameHash), "/", EnsgateEncoding.decimal(resource))
        );
    }

    /// @notice The record type strings of the files a request may be answered from: one, or for an
    ///         ABI request one per requested content type, lowest bit first (`abi/1`, `abi/4`).
    /// @param request A parsed request.
    /// @return recordTypes The candidates, in the order they are tried.
    function candidates(Request memory request) internal pure returns (bytes[] memory recordTypes) {
        if (request.kind != KIND_ABI) {
            recordTypes = new bytes[](1);
            recordTypes[0] = request.recordType;
            return recordTypes;
        }
        // Only the content types ENS defines (1, 2, 4, 8): lib's buildRecordTypeCandidates, same mask.
        uint256 remaining = request.contentTypes & 15;
        uint256 count;
        for (uint256 bits = remaining; bits != 0; bits &= bits - 1) ++count;
        recordTypes = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            uint256 lowest = remaining & (~remaining + 1);
            remaining ^= lowest;
            recordTypes[i] = bytes.concat("abi/", EnsgateEncoding.decimal(lowest));
        }
    }

    /// @dev A call whose only argument is the node (or fixed-size arguments already read).
    function _fixed(bytes calldata data, uint8 kind, bytes memory recordType) private pure returns (Request memory request) {
        if (data.length < 36) revert IEnsgateResolver.InvalidRecordCall();
        request.kind = kind;
        request.recordType = recordType;
        request.urlSafe = true;
    }

    /// @dev The `index`-th ABI word of the call's arguments (after the selector).
    function _word(bytes calldata data, uint256 index) private pure returns (uint256) {
        uint256 end = 4 + 32 * (index + 1);
        if (data.length < end) revert IEnsgateResolver.InvalidRecordCall();
        return uint256(bytes32(data[end - 32:end]));
    }

    /// @notice The dynamic `bytes`/`string` argument whose offset is the `index`-th word (after the
    ///         selector), bounds-checked; reverts `InvalidRecordCall`.
    /// @dev `dynamicArgumentReference` is the plain-Solidity reference; a test compares them.
    /// @param data The inner resolver call.
    /// @param index The argument's position.
    /// @return argument The argument's bytes.
    function dynamicArgument(bytes calldata data, uint256 index) internal pure returns (bytes calldata argument) {
        bool ok;
        // Reads the offset and length words and checks them against the arguments' size with plain
        // comparisons: the bounds-checked slices of the reference cost about 400 gas more.
        assembly ("memory-safe") {
            let arguments := add(data.offset, 4)
            let argumentsLength := sub(data.length, 4)
            // The offset word must lie within the call (`_word`).
            ok := and(gt(data.length, 3), iszero(lt(argumentsLength, shl(5, add(index, 1)))))
            let offset := calldataload(add(arguments, shl(5, index)))
            // The length word must fit after the offset, and the bytes after it.
            ok := and(ok, iszero(or(gt(offset, argumentsLength), lt(sub(argumentsLength, offset), 32))))
            let length := calldataload(add(arguments, offset))
            ok := and(ok, iszero(gt(length, sub(sub(argumentsLength, offset), 32))))
            argument.offset := add(add(arguments, offset), 32)
            argument.length := length
        }
        if (!ok) revert IEnsgateResolver.InvalidRecordCall();
    }

    /// @notice `dynamicArgument` in plain Solidity: the readable reference of the optimized routine.
    /// @param data The inner resolver call.
    /// @param index The argument's position.
    /// @return The argument's bytes.
    function dynamicArgumentReference(bytes calldata data, uint256 index) internal pure returns (bytes calldata) {
        bytes calldata arguments = data[4:];
        uint256 offset = _word(data, index);
        if (offset > arguments.length || arguments.length - offset < 32) revert IEnsgateResolver.InvalidRecordCall();
        uint256 length = uint256(bytes32(arguments[offset:offset + 32]));
        if (length > arguments.length - offset - 32) revert IEnsgateResolver.InvalidRecordCall();
        return arguments[offset + 32:offset + 32 + length];
    }

    /// @dev One in every byte, and the high bit of every byte (word-parallel byte tests).
    uint256 private constant ONES = 0x0101010101010101010101010101010101010101010101010101010101010101;
    uint256 private constant HIGHS = 0x8080808080808080808080808080808080808080808080808080808080808080;

    /// @notice `text/<key>`, rejecting the keys the library cannot store as one file name (empty,
    ///         `.`, `..`, holding `/`, a byte below 0x20 or DEL); `urlSafe` is false when the key
    ///         holds `?`, `#`, `%` or `\`. `textRecordTypeReference` is the plain-Solidity reference.
    /// @param key The text key.
    /// @return recordType `text/<key>`.
    /// @return urlSafe Whether the key can go into a URL path as it is.
    function textRecordType(bytes calldata key) internal pure returns (bytes memory recordType, bool urlSafe) {
        uint256 length = key.length;
        if (length == 0 || (length <= 2 && key[0] == "." && key[length - 1] == ".")) {
            revert IEnsgateResolver.InvalidRecordCall();
        }
        uint256 forbidden;
        uint256 unsafe;
        // Tests 32 key bytes per step (the plain loop costs about 250 gas a byte), and writes
        // `text/<key>` with one MSTORE and one CALLDATACOPY instead of `bytes.concat`.
        assembly ("memory-safe") {
            recordType := mload(0x40)
            mstore(recordType, add(length, 5))
            mstore(add(recordType, 32), "text/")
            calldatacopy(add(recordType, 37), key.offset, length)
            // Zero padding after the bytes, then the free memory pointer past them.
            let end := add(add(recordType, 37), length)
            mstore(end, 0)
            mstore(0x40, and(add(end, 31), not(31)))

            // Nonzero (high bit of a byte) when some byte of `v` is zero.
            function zeroByte(v) -> r {
                r := and(and(sub(v, ONES), not(v)), HIGHS)
            }
            for { let i := 0 } lt(i, length) { i := add(i, 32) } {
                let w := calldataload(add(key.offset, i))
                // Bytes past the key read as "a", which matches nothing below.
                if lt(sub(length, i), 32) {
                    let tail := sub(shl(shl(3, sub(32, sub(length, i))), 1), 1)
                    w := or(and(w, not(tail)), and(mul(ONES, 0x61), tail))
                }
                // A byte below 0x20 (bytes >= 0x80 never match), DEL, or "/".
                forbidden := or(forbidden, and(and(sub(w, mul(ONES, 0x20)), not(w)), HIGHS))
                forbidden := or(forbidden, zeroByte(xor(w, mul(ONES, 0x7f))))
                forbidden := or(forbidden, zeroByte(xor(w, mul(ONES, 0x2f))))
                // "?", "#", "%", "\".
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x3f))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x23))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x25))))
                unsafe := or(unsafe, zeroByte(xor(w, mul(ONES, 0x5c))))
            }
        }
        if (forbidden != 0) revert IEnsgateResolver.InvalidRecordCall();
        urlSafe = unsafe == 0;
    }

    /// @notice `textRecordType` in plain Solidity: the readable reference of the optimized routine.
    /// @param key The text key.
    /// @return recordType `text/<key>`.
    /// @return urlSafe Whether the key can go into a URL path as it is.
    function textRecordTypeReference(bytes calldata key) internal pure returns (bytes memory recordType, bool urlSafe) {
        uint256 length = key.length;
        if (length == 0 || (length <= 2 && key[0] == "." && key[length - 1] == ".")) {
            revert IEnsgateResolver.InvalidRecordCall();
        }
        urlSafe = true;
        for (uint256 i; i < length; ++i) {
            bytes1 character = key[i];
            if (character < 0x20 || character == 0x7f || character == "/") revert IEnsgateResolver.InvalidRecordCall();
            if (character == "?" || character == "#" || character == "%" || character == "\\") urlSafe = false;
        }
        recordType = bytes.concat("text/", key);
    }
}
