// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Gateway lists stored as contract code (SSTORE2)
/// @notice A list of IPFS gateway URL prefixes and of gateway-service URL templates, packed as
///         `[uint8 prefixCount][uint8 serviceCount]` then `[uint16 length][bytes]` per entry,
///         services first (the order of the lookup URLs), and stored as the runtime code (after a
///         STOP byte) of a data contract. `resolve()` reads the whole list with one EXTCODECOPY
///         instead of one cold SLOAD per word.
library EnsgateGatewayList {
    /// @notice A list has more than 255 entries of one kind, or an entry is empty or over 65535 bytes.
    error InvalidGatewayList();

    /// @notice The data contract could not be created.
    error GatewayListCreationFailed();

    /// @notice Packs the two lists.
    function encode(string[] memory prefixes, string[] memory services) internal pure returns (bytes memory blob) {
        if (prefixes.length > type(uint8).max || services.length > type(uint8).max) revert InvalidGatewayList();
        blob = abi.encodePacked(uint8(prefixes.length), uint8(services.length));
        for (uint256 i; i < services.length; ++i) blob = bytes.concat(blob, _entry(services[i]));
        for (uint256 i; i < prefixes.length; ++i) blob = bytes.concat(blob, _entry(prefixes[i]));
    }

    function _entry(string memory value) private pure returns (bytes memory) {
        uint256 length = bytes(value).length;
        if (length == 0 || length > type(uint16).max) revert InvalidGatewayList();
        return abi.encodePacked(uint16(length), value);
    }

    /// @notice Deploys `blob` as the code of a data contract; returns its address and the blob size.
    function store(bytes memory blob) internal returns (address pointer, uint32 size) {
        // The init code copies `blob.length + 1` bytes with a PUSH2.
        if (blob.length >= type(uint16).max) revert InvalidGatewayList();
        // Init code: PUSH2 n, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN; runtime = STOP ‖ blob.
        bytes memory code = abi.encodePacked(
            hex"61",
            uint16(blob.length + 1),
            hex"80600c6000396000f3",
            hex"00",
            blob
        );
        assembly ("memory-safe") {
            pointer := create(0, add(code, 32), mload(code))
        }
        if (pointer == address(0)) revert GatewayListCreationFailed();
        size = uint32(blob.length);
    }

    /// @notice Reads back the `size`-byte blob stored at `pointer`.
    function load(address pointer, uint256 size) internal view returns (bytes memory blob) {
        blob = new bytes(size);
        assembly ("memory-safe") {
            extcodecopy(pointer, add(blob, 32), 1, size)
        }
    }

    /// @notice Unpacks a blob into its two lists.
    /// @dev `decodeReference` is the plain-Solidity reference; a test compares them.
    /// @param blob A blob written by `encode` (read back with `load`).
    /// @return prefixes The IPFS gateway URL prefixes.
    /// @return services The gateway-service URL templates.
    function decode(bytes memory blob) internal pure returns (string[] memory prefixes, string[] memory services) {
        if (blob.length < 2) return (new string[](0), new string[](0));
        // Allocates both arrays and one string per entry (one MCOPY each) in a single pass: the
        // plain version's bounds-checked byte reads, `new string[]` element initialisation and
        // zero-filled strings cost about 2,500 gas for 3 entries (bench: resolve()).
        assembly ("memory-safe") {
            let prefixCount := byte(0, mload(add(blob, 32)))
            let serviceCount := byte(1, mload(add(blob, 32)))
            services := mload(0x40)
            mstore(services, serviceCount)
            prefixes := add(services, shl(5, add(serviceCount, 1)))
            mstore(prefixes, prefixCount)
            let free := add(prefixes, shl(5, add(prefixCount, 1)))
            // Entry i of the blob fills slot i of `services ‖ prefixes` (contiguous but for `prefixes`' length word).
            let entry := add(blob, 34)
            for { let i := 0 } lt(i, add(serviceCount, prefixCount)) { i := add(i, 1) } {
                let length := shr(240, mload(entry))
                mstore(free, length)
                mcopy(add(free, 32), add(entry, 2), length)
                let slot := add(services, shl(5, add(i, 1)))
                if iszero(lt(i, serviceCount)) { slot := add(slot, 32) }
                mstore(slot, free)
                free := add(free, and(add(length, 63), not(31)))
                entry := add(entry, add(length, 2))
            }
            mstore(0x40, free)
        }
    }

    /// @notice `decode` in plain Solidity: the readable reference of the optimized routine.
    /// @param blob A blob written by `encode`.
    /// @return prefixes The IPFS gateway URL prefixes.
    /// @return services The gateway-service URL templates.
    function decodeReference(bytes memory blob)
        internal
        pure
        returns (string[] memory prefixes, string[] memory services)
    {
        if (blob.length < 2) return (new string[](0), new string[](0));
        prefixes = new string[](uint8(blob[0]));
        services = new string[](uint8(blob[1]));
        uint256 offset = 2;
        for (uint256 i; i < services.length + prefixes.length; ++i) {
            uint256 length = (uint256(uint8(blob[offset])) << 8) | uint8(blob[offset + 1]);
            bytes memory value = new bytes(length);
            for (uint256 j; j < length; ++j) {
                value[j] = blob[offset + 2 + j];
            }
            if (i < services.length) services[i] = string(value);
            else prefixes[i - services.length] = string(value);
            offset += 2 + length;
        }
    }
}
