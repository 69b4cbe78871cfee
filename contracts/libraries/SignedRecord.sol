// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {RecordRequest} from "./RecordRequest.sol";

/// @title A gateway's response: a signed record, its checks on the result, and the answer
/// @notice One concept: the record file's `data` field as the callback reads it.
///
///             v1: selector("signedRecord(address,bytes,bytes,bytes)")
///                 ++ abi.encode(signer, recordSignature, approvalSignature, result)
///             v2: selector("signedRecordV2(address,bytes,bytes,bytes,uint64,uint64)")
///                 ++ abi.encode(signer, recordSignature, approvalSignature, result, validUntil, epoch)
///             certificate record (v2 bound to the owner it was issued to):
///                 selector("signedCertificateRecord(address,bytes,bytes,bytes,uint64,uint64,address)")
///                 ++ abi.encode(signer, recordSignature, approvalSignature, result, validUntil, epoch,
///                               certifiedOwner)
///
/// @dev Decoding follows the ABI offsets as viem's `decodeAbiParameters` does in the core library
///      (lib/recordFile/signedRecordData.ts), so both accept and reject the same bytes: the signer
///      is the low 160 bits of its word, `validUntil` and `epoch` are whole words, offsets may point
///      anywhere in bounds, and bytes after the last field are ignored. `result` itself must be
///      canonical (`checkResult`), so each value has exactly one signed form.
library SignedRecord {
    bytes4 internal constant SIGNED_RECORD_V1 = 0x2b45eb2b;
    bytes4 internal constant SIGNED_RECORD_V2 = 0xd8b7ec23;
    bytes4 internal constant SIGNED_CERTIFICATE_RECORD = 0xb4b4dd5c;

    /// @notice A decoded response; the dynamic fields point into calldata.
    struct Record {
        bool v2;
        address signer;
        uint256 validUntil; // v2 only
        uint256 epoch; // 0 for v1
        bool certificate; // a certificate record: v2 plus `certifiedOwner`
        address certifiedOwner; // certificate records: the name's owner the CA issued to
        bytes recordSignature;
        bytes approvalSignature;
        bytes result;
    }

    /// @notice Decodes a non-empty response; reverts `MalformedRecord`.
    /// @param response The record file's `data`.
    /// @return record The fields.
    function decode(bytes calldata response) internal pure returns (Record memory record) {
        if (response.length < 4) revert IEnsgateResolver.MalformedRecord();
        bytes4 selector = bytes4(response[:4]);
        record.certificate = selector == SIGNED_CERTIFICATE_RECORD;
        record.v2 = record.certificate || selector == SIGNED_RECORD_V2;
        if (!record.v2 && selector != SIGNED_RECORD_V1) revert IEnsgateResolver.MalformedRecord();
        bytes calldata body = response[4:];
        if (body.length < (record.certificate ? 224 : record.v2 ? 192 : 128)) {
            revert IEnsgateResolver.MalformedRecord();
        }
        record.signer = address(uint160(uint256(bytes32(body[:32]))));
        record.recordSignature = _field(body, 1);
        record.approvalSignature = _field(body, 2);
        record.result = _field(body, 3);
        if (record.v2) {
            record.validUntil = uint256(bytes32(body[128:160]));
            record.epoch = uint256(bytes32(body[160:192]));
        }
        if (record.certificate) record.certifiedOwner = address(uint160(uint256(bytes32(body[192:224]))));
    }

    /// @notice Checks `result` is the canonical ABI encoding of the request kind's stored type
    ///         (lib `decodeStoredResult`); reverts `InvalidResult`.
    /// @param kind The request kind (`RecordRequest.KIND_*`).
    /// @param contentTypes ABI requests: the requested bitmask.
    /// @param result The signed result.
    /// @return contentType ABI requests: the record's content type, a single bit of `contentTypes`.
    function checkResult(uint256 kind, uint256 contentTypes, bytes memory result) internal pure returns (uint256 contentType) {
        uint256 length = result.length;
        if (kind == RecordRequest.KIND_ADDRESS || kind == RecordRequest.KIND_ETH_MULTICOIN) {
            if (length != 32 || _wordAt(result, 0) >> 160 != 0) revert IEnsgateResolver.InvalidResult();
            return 0;
        }
        if (kind == RecordRequest.KIND_PUBKEY) {
            if (length != 64) revert IEnsgateResolver.InvalidResult();
            return 0;
        }
        // string / bytes, or (uint256, bytes) for ABI: the head words, then the length, then the
        // data padded with zeros to a whole word.
        uint256 head = kind == RecordRequest.KIND_ABI ? 64 : 32;
        if (length < head + 32 || _wordAt(result, head - 32) != head) revert IEnsgateResolver.InvalidResult();
        uint256 size = _wordAt(result, head);
        if (size > length || length != head + 32 + ((size + 31) & ~uint256(31))) revert IEnsgateResolver.InvalidResult();
        uint256 tail = size & 31;
        if (tail != 0 && _wordAt(result, length - 32) << (tail * 8) != 0) revert IEnsgateResolver.InvalidResult();
        if (kind == RecordRequest.KIND_ABI) {
            contentType = _wordAt(result, 0);
            if (contentType == 0 || contentType & (contentType - 1) != 0 || contentType & contentTypes == 0) {
                revert IEnsgateResolver.InvalidResult();
            }
        }
    }

    /// @notice The verified result as the inner function's answer: itself, except for
    ///         `addr(node, 60)`, whose stored address is answered as bytes (empty for zero).
    /// @param kind The request kind.
    /// @param result The verified result.
    /// @return The ABI-encoded answer.
    function answer(uint256 kind, bytes memory result) internal pure returns (bytes memory) {
        if (kind != RecordRequest.KIND_ETH_MULTICOIN) return result;
        address account = abi.decode(result, (address));
        return abi.encode(account == address(0) ? bytes("") : abi.encodePacked(account));
    }

    /// @notice The ABI-encoded zero value of the inner function's return type: the answer for a
    ///         record that is not set.
    /// @param kind The request kind.
    /// @return The ABI-encoded empty answer.
    function emptyAnswer(uint256 kind) internal pure returns (bytes memory) {
        if (kind == RecordRequest.KIND_ADDRESS) return abi.encode(address(0));
        if (kind == RecordRequest.KIND_PUBKEY) return abi.encode(bytes32(0), bytes32(0));
        if (kind == RecordRequest.KIND_ABI) return abi.encode(uint256(0), bytes(""));
        return abi.encode(bytes(""));
    }

    /// @dev The `index`-th dynamic field of a record body (offset word, then length, then bytes).
    function _field(bytes calldata body, uint256 index) private pure returns (bytes calldata) {
        uint256 offset = uint256(bytes32(body[index * 32:index * 32 + 32]));
        if (offset > body.length - 32) revert IEnsgateResolver.MalformedRecord();
        uint256 length = uint256(bytes32(body[offset:offset + 32]));
        if (length > body.length - offset - 32) revert IEnsgateResolver.MalformedRecord();
        return body[offset + 32:offset + 32 + length];
    }

    /// @dev The 32 bytes of `data` at `offset` (the caller checked the bounds).
    function _wordAt(bytes memory data, uint256 offset) private pure returns (uint256 word) {
        assembly ("memory-safe") {
            // One MLOAD instead of a 32-iteration byte copy: memory bytes cannot be sliced in Solidity.
            word := mload(add(add(data, 32), offset))
        }
    }
}
