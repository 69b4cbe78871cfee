// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EnsgateEncoding} from "./EnsgateEncoding.sol";

/// @title The URLs of an ensgate `OffchainLookup`
/// @notice One concept: where a client fetches a record. Gateway services come first, then, for each
///         candidate record file, one direct URL per IPFS gateway prefix, path style:
///
///             <prefix>/ipns/<CIDv1 base32 of the IPNS key><folder><record type>.json?t={data}
///
///         e.g. `https://ipfs.io/ipns/bafzaa…/.well-known/eth/alice/text/avatar.json?t={data}`.
///         The `{data}` placeholder makes EIP-3668 clients use GET; IPFS gateways ignore the query.
/// @dev Why services first: ethers v6 stops at the first 4xx, and a public IPFS gateway answers
///      404 for a record that is not set, while the ensgate gateway answers the empty record. The
///      IPFS URLs remain the fallback when the gateway service is down (docs/resolver.md "URLs").
library LookupUrls {
    /// @notice Builds the URL list.
    /// @dev `buildReference` is the plain-Solidity reference; a test compares them.
    /// @param services Gateway-service URL templates, used as they are (`{sender}`/`{data}`).
    /// @param prefixes IPFS gateway prefixes (no trailing `/`); pass none when the record type is
    ///        not URL-safe.
    /// @param ipnsKey The ed25519 IPNS key of the recordhash.
    /// @param folder The name's `.well-known` folder (`DnsName.wellKnownFolder`).
    /// @param recordTypes The candidate record files without `.json`, in the order they are tried.
    /// @return urls The URLs, in the order clients try them.
    function build(
        string[] memory services,
        string[] memory prefixes,
        bytes32 ipnsKey,
        bytes memory folder,
        bytes[] memory recordTypes
    ) internal pure returns (string[] memory urls) {
        uint256 count = services.length + prefixes.length * recordTypes.length;
        (uint256 cidHigh, uint256 cidLow) = EnsgateEncoding.ipnsKeyBase32(ipnsKey);
        // Writes each file's path once and each URL with two MCOPYs into one allocation: the
        // plain version's `new string[]`, concatenations and intermediate buffers cost about
        // 3,000 gas more for two prefixes (bench: resolve()).
        assembly ("memory-safe") {
            urls := mload(0x40)
            mstore(urls, count)
            let slot := add(urls, 32)
            let free := add(slot, shl(5, count))
            for { let i := 0 } lt(i, mload(services)) { i := add(i, 1) } {
                mstore(slot, mload(add(services, shl(5, add(i, 1)))))
                slot := add(slot, 32)
            }
            let prefixCount := mload(prefixes)
            for { let file := 0 } mul(prefixCount, lt(file, mload(recordTypes))) { file := add(file, 1) } {
                // The path after the prefix, "/ipns/b<cid><folder><record type>.json?t={data}", is
                // the same for every prefix: written once in scratch memory past `free`.
                let recordType := mload(add(recordTypes, shl(5, add(file, 1))))
                let path := free
                mstore(path, "/ipns/b")
                mstore(add(path, 7), cidHigh)
                mstore(add(path, 39), cidLow)
                let w := add(path, 71)
                mcopy(w, add(folder, 32), mload(folder))
                w := add(w, mload(folder))
                mcopy(w, add(recordType, 32), mload(recordType))
                w := add(w, mload(recordType))
                mstore(w, ".json?t={data}")
                let pathLength := sub(add(w, 14), path)
                free := and(add(add(path, pathLength), 31), not(31))
                for { let i := 0 } lt(i, prefixCount) { i := add(i, 1) } {
                    let prefix := mload(add(prefixes, shl(5, add(i, 1))))
                    let prefixLength := mload(prefix)
                    let url := free
                    mstore(url, add(prefixLength, pathLength))
                    mcopy(add(url, 32), add(prefix, 32), prefixLength)
                    mcopy(add(add(url, 32), prefixLength), path, pathLength)
                    mstore(slot, url)
                    slot := add(slot, 32)
                    free := add(url, and(add(add(prefixLength, pathLength), 63), not(31)))
                }
            }
            mstore(0x40, free)
        }
    }

    /// @notice `build` in plain Solidity: the readable reference of the optimized routine.
    /// @param services Gateway-service URL templates, used as they are (`{sender}`/`{data}`).
    /// @param prefixes IPFS gateway prefixes (no trailing `/`); pass none when the record type is
    ///        not URL-safe.
    /// @param ipnsKey The ed25519 IPNS key of the recordhash.
    /// @param folder The name's `.well-known` folder (`DnsName.wellKnownFolder`).
    /// @param recordTypes The candidate record files without `.json`, in the order they are tried.
    /// @return urls The URLs, in the order clients try them.
    function buildReference(
        string[] memory services,
        string[] memory prefixes,
        bytes32 ipnsKey,
        bytes memory folder,
        bytes[] memory recordTypes
    ) internal pure returns (string[] memory urls) {
        urls = new string[](services.length + prefixes.length * recordTypes.length);
        uint256 next;
        for (uint256 i; i < services.length; ++i) {
            urls[next++] = services[i];
        }
        if (prefixes.length == 0) return urls;
        bytes memory root = bytes.concat("/ipns/", EnsgateEncoding.ipnsCidString(ipnsKey), folder);
        for (uint256 file; file < recordTypes.length; ++file) {
            // The part after the prefix is the same for every prefix: build it once.
            bytes memory suffix = bytes.concat(root, recordTypes[file], ".json?t={data}");
            for (uint256 i; i < prefixes.length; ++i) {
                urls[next++] = string(bytes.concat(bytes(prefixes[i]), suffix));
            }
        }
    }
}
