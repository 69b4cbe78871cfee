// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {DnsName} from "../libraries/DnsName.sol";
import {EnsgateEncoding} from "../libraries/EnsgateEncoding.sol";
import {EnsReads} from "../libraries/EnsReads.sol";
import {EnsgateGatewayList} from "../libraries/EnsgateGatewayList.sol";
import {IBaseRegistrarExpiry, IENSRegistryOwner, INameWrapperOwner} from "../interfaces/IEnsOwnership.sol";
import {LookupUrls} from "../libraries/LookupUrls.sol";
import {RecordMessages} from "../libraries/RecordMessages.sol";
import {RecordRequest} from "../libraries/RecordRequest.sol";

/// @title Exposes each optimized library routine next to its plain-Solidity reference
/// @notice test/contracts/libraryReferences.test.ts calls both on many inputs and compares the
///         outputs (or the revert data). Also exposes OpenZeppelin `Strings` and a plain base32
///         encoder as references of `EnsgateEncoding`.
contract LibraryReferencesHarness {
    function labelOffsets(bytes calldata name) external pure returns (uint256[] memory) {
        return DnsName.labelOffsets(name);
    }

    function labelOffsetsReference(bytes calldata name) external pure returns (uint256[] memory) {
        return DnsName.labelOffsetsReference(name);
    }

    function suffixNodes(bytes calldata name) external pure returns (bytes32[] memory) {
        return DnsName.suffixNodes(name, DnsName.labelOffsetsReference(name));
    }

    function suffixNodesReference(bytes calldata name) external pure returns (bytes32[] memory) {
        return DnsName.suffixNodesReference(name, DnsName.labelOffsetsReference(name));
    }

    function wellKnownFolder(bytes calldata name) external pure returns (bytes memory) {
        return DnsName.wellKnownFolder(name, DnsName.labelOffsetsReference(name));
    }

    function wellKnownFolderReference(bytes calldata name) external pure returns (bytes memory) {
        return DnsName.wellKnownFolderReference(name, DnsName.labelOffsetsReference(name));
    }

    function textRecordType(bytes calldata key) external pure returns (bytes memory, bool) {
        return RecordRequest.textRecordType(key);
    }

    function textRecordTypeReference(bytes calldata key) external pure returns (bytes memory, bool) {
        return RecordRequest.textRecordTypeReference(key);
    }

    function dynamicArgument(bytes calldata data, uint256 index) external pure returns (bytes memory) {
        return RecordRequest.dynamicArgument(data, index);
    }

    function dynamicArgumentReference(bytes calldata data, uint256 index) external pure returns (bytes memory) {
        return RecordRequest.dynamicArgumentReference(data, index);
    }

    /// @notice The ENS reads, sent to this contract's fallback (a stand-in answering per `argument`).
    function ensReads(uint256 argument) external view returns (address owner, address wrapped, uint256 expires) {
        owner = EnsReads.owner(IENSRegistryOwner(address(this)), bytes32(argument));
        wrapped = EnsReads.ownerOf(INameWrapperOwner(address(this)), argument);
        expires = EnsReads.nameExpires(IBaseRegistrarExpiry(address(this)), argument);
    }

    function ensReadsReference(uint256 argument) external view returns (address owner, address wrapped, uint256 expires) {
        owner = EnsReads.ownerReference(IENSRegistryOwner(address(this)), bytes32(argument));
        wrapped = EnsReads.ownerOfReference(INameWrapperOwner(address(this)), argument);
        expires = EnsReads.nameExpiresReference(IBaseRegistrarExpiry(address(this)), argument);
    }

    /// @notice Expiry only (an address answer with dirty bits stops `ensReads` at the first read).
    function expiry(uint256 argument) external view returns (uint256) {
        return EnsReads.nameExpires(IBaseRegistrarExpiry(address(this)), argument);
    }

    function expiryReference(uint256 argument) external view returns (uint256) {
        return EnsReads.nameExpiresReference(IBaseRegistrarExpiry(address(this)), argument);
    }

    /// @notice Stand-in ENS contract for `ensReads`: for the argument word `a`, byte 0 = 1 reverts,
    ///         byte 1 is the answer's length (up to 64), and the answer is `a` with those two bytes
    ///         cleared, twice.
    fallback(bytes calldata input) external returns (bytes memory answer) {
        uint256 a = uint256(bytes32(input[4:36]));
        uint256 value = a & (type(uint256).max >> 16);
        answer = abi.encodePacked(value, value);
        uint256 length = (a >> 240) & 0xff;
        if (length > 64) length = 64;
        assembly ("memory-safe") {
            mstore(answer, length)
        }
        if (a >> 248 == 1) {
            assembly ("memory-safe") {
                revert(add(answer, 32), length)
            }
        }
    }

    function decodeGatewayList(string[] memory prefixes, string[] memory services)
        external
        pure
        returns (string[] memory, string[] memory)
    {
        return EnsgateGatewayList.decode(EnsgateGatewayList.encode(prefixes, services));
    }

    function decodeGatewayListReference(string[] memory prefixes, string[] memory services)
        external
        pure
        returns (string[] memory, string[] memory)
    {
        return EnsgateGatewayList.decodeReference(EnsgateGatewayList.encode(prefixes, services));
    }

    function buildUrls(
        string[] memory services,
        string[] memory prefixes,
        bytes32 ipnsKey,
        bytes memory folder,
        bytes[] memory recordTypes
    ) external pure returns (string[] memory) {
        return LookupUrls.build(services, prefixes, ipnsKey, folder, recordTypes);
    }

    function buildUrlsReference(
        string[] memory services,
        string[] memory prefixes,
        bytes32 ipnsKey,
        bytes memory folder,
        bytes[] memory recordTypes
    ) external pure returns (string[] memory) {
        return LookupUrls.buildReference(services, prefixes, ipnsKey, folder, recordTypes);
    }

    /// @dev The SIGN 4 and SIGN 3 fields, with accounts as addresses.
    struct MessageFields {
        bytes name;
        bytes recordType;
        bytes32 resultHash;
        bool v2;
        uint256 validUntil;
        uint256 epoch;
        uint256 chainId;
        address resolver;
        address signer;
        address owner;
        address nameOwner; // SIGN 4 of a certificate record; zero otherwise
    }

    function recordDigest(MessageFields memory f) external pure returns (bytes32) {
        return RecordMessages.recordDigest(
            RecordMessages.RecordMessage(
                f.name,
                f.recordType,
                f.resultHash,
                f.v2,
                f.validUntil,
                f.epoch,
                f.v2 ? RecordMessages.caip10(f.chainId, f.resolver) : bytes(""),
                f.nameOwner == address(0) ? bytes("") : RecordMessages.caip10(f.chainId, f.nameOwner),
                RecordMessages.caip10(f.chainId, f.signer)
            )
        );
    }

    function recordDigestReference(MessageFields memory f) external pure returns (bytes32) {
        return RecordMessages.recordDigestReference(
            RecordMessages.RecordMessage(
                f.name,
                f.recordType,
                f.resultHash,
                f.v2,
                f.validUntil,
                f.epoch,
                RecordMessages.caip10Reference(f.chainId, f.resolver),
                f.nameOwner == address(0) ? bytes("") : RecordMessages.caip10Reference(f.chainId, f.nameOwner),
                RecordMessages.caip10Reference(f.chainId, f.signer)
            )
        );
    }

    function approvalDigest(MessageFields memory f) external pure returns (bytes32) {
        return RecordMessages.approvalDigest(
            RecordMessages.ApprovalMessage(
                f.name,
                RecordMessages.caip10(f.chainId, f.signer),
                f.v2,
                f.epoch,
                f.v2 ? RecordMessages.caip10(f.chainId, f.resolver) : bytes(""),
                RecordMessages.caip10(f.chainId, f.owner)
            )
        );
    }

    function approvalDigestReference(MessageFields memory f) external pure returns (bytes32) {
        return RecordMessages.approvalDigestReference(
            RecordMessages.ApprovalMessage(
                f.name,
                RecordMessages.caip10Reference(f.chainId, f.signer),
                f.v2,
                f.epoch,
                RecordMessages.caip10Reference(f.chainId, f.resolver),
                RecordMessages.caip10Reference(f.chainId, f.owner)
            )
        );
    }

    function caip10(uint256 chainId, address account) external pure returns (bytes memory) {
        return RecordMessages.caip10(chainId, account);
    }

    function caip10Reference(uint256 chainId, address account) external pure returns (bytes memory) {
        return RecordMessages.caip10Reference(chainId, account);
    }

    /// @notice EnsgateEncoding's strings next to OpenZeppelin's for the same input.
    function encodings(uint256 value)
        external
        pure
        returns (bytes memory hex32, string memory ozHex32, bytes memory hex4, string memory ozHex4, bytes memory dec, string memory ozDec)
    {
        hex32 = EnsgateEncoding.hexString(bytes32(value));
        ozHex32 = Strings.toHexString(value, 32);
        hex4 = EnsgateEncoding.hexString4(bytes4(uint32(value)));
        ozHex4 = Strings.toHexString(uint32(value), 4);
        dec = EnsgateEncoding.decimal(value);
        ozDec = Strings.toString(value);
    }

    function checksums(address account) external pure returns (bytes memory ours, string memory oz) {
        return (EnsgateEncoding.checksumString(account), Strings.toChecksumHexString(account));
    }

    function ipnsCid(bytes32 key) external pure returns (bytes memory ours, bytes memory plain) {
        ours = EnsgateEncoding.ipnsCidString(key);
        plain = bytes.concat("b", base32Reference(abi.encodePacked(bytes8(0x0172002408011220), key)));
    }

    /// @notice RFC 4648 base32, lowercase, unpadded, one bit at a time.
    function base32Reference(bytes memory input) public pure returns (bytes memory out) {
        bytes memory alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        out = new bytes((input.length * 8 + 4) / 5);
        for (uint256 digit; digit < out.length; ++digit) {
            uint256 v;
            for (uint256 bit; bit < 5; ++bit) {
                uint256 position = digit * 5 + bit;
                uint256 b = position / 8 < input.length ? (uint8(input[position / 8]) >> (7 - (position % 8))) & 1 : 0;
                v = (v << 1) | b;
            }
            out[digit] = alphabet[v];
        }
    }
}
