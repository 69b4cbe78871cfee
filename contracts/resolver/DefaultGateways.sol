// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {EnsgateGatewayList} from "../libraries/EnsgateGatewayList.sol";

/// @title The admin's default lookup URLs
/// @notice Gateway-service URL templates (used for every lookup) and IPFS gateway prefixes (used
///         unless the owner chose their own). Stored SSTORE2-style as one data contract, so a
///         lookup reads both lists with one EXTCODECOPY instead of one cold SLOAD per word.
abstract contract DefaultGateways is IEnsgateResolver, Ownable2Step {
    /// @dev The data contract and its size share one slot.
    struct ListPointer {
        address pointer;
        uint32 size;
    }

    ListPointer private _defaults;

    /// @notice Sets the default IPFS gateway URL prefixes and the gateway-service URL templates.
    ///         Emits {DefaultGatewaysChanged}.
    /// @param ipfsGateways URL prefixes such as `https://ipfs.io` (no trailing `/`).
    /// @param gatewayServices EIP-3668 URL templates such as `https://gw.example/{sender}/{data}.json`.
    function setDefaultGateways(string[] calldata ipfsGateways, string[] calldata gatewayServices) external onlyOwner {
        _setDefaultGateways(ipfsGateways, gatewayServices);
    }

    /// @notice The admin's default lists.
    /// @return ipfsGateways The IPFS gateway URL prefixes.
    /// @return gatewayServices The gateway-service URL templates.
    function defaultGateways() public view returns (string[] memory ipfsGateways, string[] memory gatewayServices) {
        ListPointer memory defaults = _defaults;
        return EnsgateGatewayList.decode(EnsgateGatewayList.load(defaults.pointer, defaults.size));
    }

    function _setDefaultGateways(string[] memory ipfsGateways, string[] memory gatewayServices) internal {
        (address pointer, uint32 size) = EnsgateGatewayList.store(EnsgateGatewayList.encode(ipfsGateways, gatewayServices));
        _defaults = ListPointer(pointer, size);
        emit DefaultGatewaysChanged(ipfsGateways, gatewayServices);
    }
}
