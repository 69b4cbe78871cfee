// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {EnsgateEncoding} from "./EnsgateEncoding.sol";

/// @title SIGN 3 and SIGN 4: the messages owners and signers sign, as EIP-191 digests
/// @notice One concept: the exact text of the approval (SIGN 3) and record (SIGN 4) messages, byte
///         for byte as the core library builds them (lib/messages/approvalMessage.ts and
///         recordMessage.ts), hashed with `MessageHashUtils.toEthSignedMessageHash`.
/// @dev v1 is NameSys's text, unchanged. v2 adds the lines marked below; the `Resolver` line binds
///      the signature to one resolver deployment, so revoking on one deployment never leaves the
///      record valid on another. Numbers are decimal, hashes `0x` + lowercase hex, accounts
///      CAIP-10 with an EIP-55 address. Example, SIGN 4 v2 of alice.eth's avatar on chain 1:
///
///          Requesting Signature To Update ENS Record
///
///          Origin: alice.eth
///          Record Type: text/avatar
///          Extradata: 0x<keccak256(result)>
///          Valid Until: 1767225600                       (v2)
///          Epoch: 0                                      (v2)
///          Resolver: eip155:1:0x<resolver, EIP-55>       (v2)
///          Name Owner: eip155:1:0x<owner, EIP-55>        (certificate records only)
///          Signed By: eip155:1:0x<signer, EIP-55>
///
///      `Name Owner` binds a certificate authority's record to the owner the certificate was issued
///      to: after a transfer the record no longer verifies for the name.
library RecordMessages {
    /// @notice What SIGN 4 binds. Accounts are CAIP-10 account ids (`caip10`), formatted once by
    ///         the caller: the signer's appears in SIGN 4 and SIGN 3, the resolver's is fixed.
    struct RecordMessage {
        bytes name; // dotted name (`Origin`)
        bytes recordType; // file path without `.json`
        bytes32 resultHash; // keccak256 of the ABI-encoded result
        bool v2;
        uint256 validUntil; // v2
        uint256 epoch; // v2
        bytes resolver; // v2: the resolver's CAIP-10 account id
        bytes nameOwner; // certificate records: the certified owner's CAIP-10 id; empty otherwise
        bytes signer; // the signer's CAIP-10 account id
    }

    /// @notice What SIGN 3 binds: `owner` approves `signer` for `name` (accounts as CAIP-10 ids).
    struct ApprovalMessage {
        bytes name;
        bytes signer;
        bool v2;
        uint256 epoch; // v2
        bytes resolver; // v2
        bytes owner;
    }

    /// @dev Room for a message's fixed text and decimals: the longest (a certificate record's
    ///      SIGN 4 with 78-digit numbers) needs 357 bytes, plus 32 for the last MSTORE's spill.
    uint256 private constant FIXED_TEXT_ROOM = 416;
    /// @dev Room before the message for the EIP-191 header and its decimal length.
    uint256 private constant HEADER_ROOM = 64;
    /// @dev The longest CAIP-10 id `caip10` writes (7 + 78 + 3 + 40), plus 32 for the last MSTORE's spill.
    uint256 private constant CAIP10_ROOM = 160;

    /// @notice The EIP-191 digest of SIGN 4.
    /// @dev Writes the text once into one buffer and hashes it with its EIP-191 header in place:
    ///      `recordDigestReference` (chained `bytes.concat` and `toEthSignedMessageHash`) is the
    ///      plain-Solidity reference; a test compares them.
    /// @param message The bound fields.
    /// @return The digest `ECDSA.recover` checks.
    function recordDigest(RecordMessage memory message) internal pure returns (bytes32) {
        uint256 start = _reserve(
            message.name.length + message.recordType.length + message.resolver.length + message.nameOwner.length
                + message.signer.length
        );
        uint256 w = _put(start, "Requesting Signature To Update E", 32);
        w = _put(w, "NS Record\n\nOrigin: ", 19);
        w = _putBytes(w, message.name);
        w = _put(w, "\nRecord Type: ", 14);
        w = _putBytes(w, message.recordType);
        w = _put(w, "\nExtradata: 0x", 14);
        w = _putHex(w, message.resultHash);
        if (message.v2) {
            w = _put(w, "\nValid Until: ", 14);
            w = EnsgateEncoding.writeDecimal(w, message.validUntil);
            w = _put(w, "\nEpoch: ", 8);
            w = EnsgateEncoding.writeDecimal(w, message.epoch);
            w = _put(w, "\nResolver: ", 11);
            w = _putBytes(w, message.resolver);
        }
        if (message.nameOwner.length != 0) {
            w = _put(w, "\nName Owner: ", 13);
            w = _putBytes(w, message.nameOwner);
        }
        w = _put(w, "\nSigned By: ", 12);
        w = _putBytes(w, message.signer);
        return _eip191Digest(start, w);
    }

    /// @notice The EIP-191 digest of SIGN 3.
    /// @dev One buffer, as `recordDigest`; `approvalDigestReference` is the plain-Solidity reference.
    /// @param message The bound fields.
    /// @return The digest `ECDSA.recover` checks.
    function approvalDigest(ApprovalMessage memory message) internal pure returns (bytes32) {
        uint256 start = _reserve(
            message.name.length + message.signer.length + message.resolver.length + message.owner.length
        );
        uint256 w = _put(start, "Requesting Signature To Approve ", 32);
        w = _put(w, "ENS Records Signer\n\nOrigin: ", 28);
        w = _putBytes(w, message.name);
        w = _put(w, "\nApproved Signer: ", 18);
        w = _putBytes(w, message.signer);
        if (message.v2) {
            w = _put(w, "\nEpoch: ", 8);
            w = EnsgateEncoding.writeDecimal(w, message.epoch);
            w = _put(w, "\nResolver: ", 11);
            w = _putBytes(w, message.resolver);
        }
        w = _put(w, "\nApproved By: ", 14);
        w = _putBytes(w, message.owner);
        return _eip191Digest(start, w);
    }

    /// @notice CAIP-10 account id: `eip155:<chainId>:<EIP-55 address>`.
    /// @dev `caip10Reference` is the plain-Solidity reference; a test compares them.
    /// @param chainId The chain id.
    /// @param account The address.
    /// @return The account id.
    function caip10(uint256 chainId, address account) internal pure returns (bytes memory) {
        (uint256 high, uint256 low) = EnsgateEncoding.checksum(account);
        return caip10Checksummed(chainId, high, low);
    }

    /// @notice `caip10` of an address already checksummed by `EnsgateEncoding.checksum` (the
    ///         resolver checksums its own address once, at deployment).
    /// @param chainId The chain id.
    /// @param high The first 32 checksummed digits.
    /// @param low The last 8, left-aligned.
    /// @return account The account id.
    function caip10Checksummed(uint256 chainId, uint256 high, uint256 low) internal pure returns (bytes memory account) {
        uint256 start;
        // Allocates the id's longest size; its length is set once written.
        assembly ("memory-safe") {
            account := mload(0x40)
            start := add(account, 32)
            mstore(0x40, add(start, CAIP10_ROOM))
        }
        uint256 w = _put(start, "eip155:", 7);
        w = EnsgateEncoding.writeDecimal(w, chainId);
        w = _put(w, ":0x", 3);
        w = _put(w, bytes32(high), 32);
        w = _put(w, bytes32(low), 8);
        // The id's length (the bytes after it are zero: `low`'s padding).
        assembly ("memory-safe") {
            mstore(account, sub(w, start))
        }
    }

    /// @notice `recordDigest` with chained `bytes.concat`: the readable reference of the optimized routine.
    /// @param message The bound fields.
    /// @return The digest.
    function recordDigestReference(RecordMessage memory message) internal pure returns (bytes32) {
        bytes memory text = bytes.concat(
            "Requesting Signature To Update ENS Record\n\nOrigin: ",
            message.name,
            "\nRecord Type: ",
            message.recordType,
            "\nExtradata: ",
            EnsgateEncoding.hexString(message.resultHash)
        );
        if (message.v2) {
            text = bytes.concat(
                text,
                "\nValid Until: ",
                EnsgateEncoding.decimal(message.validUntil),
                "\nEpoch: ",
                EnsgateEncoding.decimal(message.epoch),
                "\nResolver: ",
                message.resolver
            );
        }
        if (message.nameOwner.length != 0) text = bytes.concat(text, "\nName Owner: ", message.nameOwner);
        text = bytes.concat(text, "\nSigned By: ", message.signer);
        return MessageHashUtils.toEthSignedMessageHash(text);
    }

    /// @notice `approvalDigest` with chained `bytes.concat`: the readable reference of the optimized routine.
    /// @param message The bound fields.
    /// @return The digest.
    function approvalDigestReference(ApprovalMessage memory message) internal pure returns (bytes32) {
        bytes memory text = bytes.concat(
            "Requesting Signature To Approve ENS Records Signer\n\nOrigin: ",
            message.name,
            "\nApproved Signer: ",
            message.signer
        );
        if (message.v2) {
            text = bytes.concat(
                text,
                "\nEpoch: ",
                EnsgateEncoding.decimal(message.epoch),
                "\nResolver: ",
                message.resolver
            );
        }
        text = bytes.concat(text, "\nApproved By: ", message.owner);
        return MessageHashUtils.toEthSignedMessageHash(text);
    }

    /// @notice `caip10` with `bytes.concat`: the readable reference of the optimized routine.
    /// @param chainId The chain id.
    /// @param account The address.
    /// @return The account id.
    function caip10Reference(uint256 chainId, address account) internal pure returns (bytes memory) {
        return bytes.concat("eip155:", EnsgateEncoding.decimal(chainId), ":", EnsgateEncoding.checksumString(account));
    }

    /// @dev Allocates a message buffer for `variableLength` bytes of names, record types and
    ///      accounts plus the fixed text, with room for the EIP-191 header before it; returns where the text starts.
    function _reserve(uint256 variableLength) private pure returns (uint256 start) {
        // Moves the free memory pointer past the buffer; memory is only paid for where it is written.
        assembly ("memory-safe") {
            start := add(mload(0x40), HEADER_ROOM)
            mstore(0x40, add(add(start, variableLength), FIXED_TEXT_ROOM))
        }
    }

    /// @dev Writes the first `length` bytes of `chunk` (a string literal of at most 32 bytes) at `ptr`.
    function _put(uint256 ptr, bytes32 chunk, uint256 length) private pure returns (uint256 end) {
        // One MSTORE: the bytes it writes past `length` are overwritten by what follows.
        assembly ("memory-safe") {
            mstore(ptr, chunk)
        }
        return ptr + length;
    }

    /// @dev Writes `data` at `ptr`.
    function _putBytes(uint256 ptr, bytes memory data) private pure returns (uint256 end) {
        // One MCOPY: Solidity cannot copy memory into the middle of a buffer.
        assembly ("memory-safe") {
            mcopy(ptr, add(data, 32), mload(data))
        }
        return ptr + data.length;
    }

    /// @dev Writes the 64 lowercase hex digits of `value` (no `0x`) at `ptr`.
    function _putHex(uint256 ptr, bytes32 value) private pure returns (uint256 end) {
        (uint256 high, uint256 low) = EnsgateEncoding.hex32(value);
        // Two MSTOREs of the digit words: no intermediate string.
        assembly ("memory-safe") {
            mstore(ptr, high)
            mstore(add(ptr, 32), low)
        }
        return ptr + 64;
    }

    /// @dev keccak256("\x19Ethereum Signed Message:\n" ‖ decimal(length) ‖ text), text = [start, end):
    ///      `MessageHashUtils.toEthSignedMessageHash(text)` without copying the text.
    function _eip191Digest(uint256 start, uint256 end) private pure returns (bytes32 digest) {
        (uint256 digits, uint256 digitCount) = EnsgateEncoding.decimalWord(end - start);
        uint256 header = start - 26 - digitCount;
        // Writes the 26-byte header and the length digits with two MSTOREs right before the text,
        // restoring the text's first word they spill into, and hashes it all in place.
        assembly ("memory-safe") {
            let saved := mload(start)
            mstore(header, "\x19Ethereum Signed Message:\n")
            mstore(add(header, 26), digits)
            mstore(start, saved)
            digest := keccak256(header, sub(end, header))
        }
    }
}
