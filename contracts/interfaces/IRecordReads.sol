// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The ENS resolver reads the resolver answers through ENSIP-10 `resolve`
/// @notice Declared only for their selectors: the resolver never implements them directly.
interface IRecordReads {
    /// @notice ENSIP-5 text record.
    function text(bytes32 node, string calldata key) external view returns (string memory);
    /// @notice EIP-137 Ethereum address.
    function addr(bytes32 node) external view returns (address);
    /// @notice ENSIP-9 multicoin address.
    function addr(bytes32 node, uint256 coinType) external view returns (bytes memory);
    /// @notice ENSIP-7 content hash.
    function contenthash(bytes32 node) external view returns (bytes memory);
    /// @notice EIP-619 public key.
    function pubkey(bytes32 node) external view returns (bytes32 x, bytes32 y);
    /// @notice EIP-181 name.
    function name(bytes32 node) external view returns (string memory);
    /// @notice EIP-1844 interface implementer.
    function interfaceImplementer(bytes32 node, bytes4 interfaceId) external view returns (address);
    /// @notice EIP-205 ABI.
    function ABI(bytes32 node, uint256 contentTypes) external view returns (uint256, bytes memory);
    /// @notice DNS zone hash.
    function zonehash(bytes32 node) external view returns (bytes memory);
    /// @notice DNS RRset (ENS form: keccak256 of the DNS-encoded owner name).
    function dnsRecord(bytes32 node, bytes32 name, uint16 resource) external view returns (bytes memory);
    /// @notice DNS RRset (the NameSys seed's form: the DNS-encoded owner name itself).
    function dnsRecord(bytes32 node, bytes calldata name, uint16 resource) external view returns (bytes memory);
}
