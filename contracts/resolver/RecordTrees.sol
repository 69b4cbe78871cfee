// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEnsgateResolver} from "../interfaces/IEnsgateResolver.sol";
import {EnsgateGatewayList} from "../libraries/EnsgateGatewayList.sol";
import {IpnsRecordhash} from "../libraries/IpnsRecordhash.sol";

/// @title Record trees and epochs, kept per owner
/// @notice Where a name's records live (its recordhash and IPFS gateways) and which epoch its
///         records and off-chain approvals must carry. Every setting is stored under the address
///         that set it and a node, with no ownership check: it takes effect only for names that
///         address owns, for its node and every name below it.
/// @dev Why per owner and not per node: a per-node setting outlives the owner who made it. A
///      previous owner's recordhash would keep serving after a transfer, and an epoch bumped on a
///      subname would stop counting once the subname left the registry, reviving what the owner
///      revoked. Keyed by owner, a transfer starts the new owner clean, and the epoch of a name —
///      the sum of its owner's counters over the name and its ancestors — only ever grows for that
///      owner, whatever happens below it in the registry.
abstract contract RecordTrees is IEnsgateResolver {
    /// @dev One owner's settings on one node. `counter`, `gateways` and `gatewaysSize` share a slot.
    struct NodeSettings {
        bytes32 ipnsKey; // recordhash: ed25519 IPNS key, zero for none
        uint64 counter; // epoch counter
        address gateways; // IPFS gateway prefixes (EnsgateGatewayList data contract), zero for the defaults
        uint32 gatewaysSize;
    }

    /// @dev What a lookup of one name reads from its owner's settings.
    struct Tree {
        bytes32 ipnsKey; // zero: the name has no records
        uint256 epoch;
        address gateways; // zero: the defaults
        uint32 gatewaysSize;
    }

    mapping(address owner => mapping(bytes32 node => NodeSettings)) private _settings;
    mapping(address owner => bytes32 ipnsKey) private _walletKeys;

    /// @notice Points the caller's names at `node` and below at an IPNS records tree.
    ///         Emits {RecordhashChanged}.
    /// @param node The ENS node.
    /// @param newRecordhash Empty to clear, a 32-byte ed25519 IPNS key, or the full IPNS contenthash.
    function setRecordhash(bytes32 node, bytes calldata newRecordhash) external {
        bytes32 key = IpnsRecordhash.parse(newRecordhash);
        _settings[msg.sender][node].ipnsKey = key;
        emit RecordhashChanged(msg.sender, node, IpnsRecordhash.format(key));
    }

    /// @notice Sets the caller's wallet-wide recordhash: the tree of every name the caller owns
    ///         that has no recordhash of its own. Emits {OwnerRecordhashChanged}.
    /// @param newRecordhash Empty to clear, a 32-byte ed25519 IPNS key, or the full IPNS contenthash.
    function setOwnerRecordhash(bytes calldata newRecordhash) external {
        bytes32 key = IpnsRecordhash.parse(newRecordhash);
        _walletKeys[msg.sender] = key;
        emit OwnerRecordhashChanged(msg.sender, IpnsRecordhash.format(key));
    }

    /// @notice Raises the caller's epoch counter of `node`: every v1 record, and every v2 record and
    ///         v2 approval signed under an earlier epoch, of `node` or any name below it, is rejected
    ///         from now on while the caller owns it. Emits {EpochBumped}.
    /// @param node The ENS node.
    function bumpEpoch(bytes32 node) external {
        uint64 counter = _settings[msg.sender][node].counter + 1;
        _settings[msg.sender][node].counter = counter;
        emit EpochBumped(msg.sender, node, counter);
    }

    /// @notice Chooses the IPFS gateway URL prefixes for the caller's names at `node` and below.
    ///         Emits {GatewaysChanged}.
    /// @param node The ENS node.
    /// @param gateways URL prefixes such as `https://ipfs.io` (no trailing `/`); empty for the defaults.
    function setGateways(bytes32 node, string[] calldata gateways) external {
        address pointer;
        uint32 size;
        // Deploys our own data contract (no foreign code runs), then records its address.
        if (gateways.length != 0) {
            (pointer, size) = EnsgateGatewayList.store(EnsgateGatewayList.encode(gateways, new string[](0)));
        }
        NodeSettings storage settings = _settings[msg.sender][node];
        settings.gateways = pointer;
        settings.gatewaysSize = size;
        emit GatewaysChanged(msg.sender, node, gateways);
    }

    /// @notice The recordhash `owner` set on `node` (full IPNS contenthash), or empty.
    /// @param owner The address that set it.
    /// @param node The ENS node.
    /// @return The recordhash.
    function recordhash(address owner, bytes32 node) external view returns (bytes memory) {
        return IpnsRecordhash.format(_settings[owner][node].ipnsKey);
    }

    /// @notice The wallet-wide recordhash of `owner` (full IPNS contenthash), or empty.
    /// @param owner The owner address.
    /// @return The recordhash.
    function ownerRecordhash(address owner) external view returns (bytes memory) {
        return IpnsRecordhash.format(_walletKeys[owner]);
    }

    /// @notice `owner`'s epoch counter of `node` (one term of a name's epoch; see `nameContext`).
    /// @param owner The address that bumped it.
    /// @param node The ENS node.
    /// @return The counter.
    function epochCounter(address owner, bytes32 node) external view returns (uint64) {
        return _settings[owner][node].counter;
    }

    /// @notice The IPFS gateway prefixes `owner` chose for `node` (empty: the defaults apply).
    /// @param owner The address that set them.
    /// @param node The ENS node.
    /// @return gateways The prefixes.
    function gatewaysOf(address owner, bytes32 node) external view returns (string[] memory gateways) {
        NodeSettings storage settings = _settings[owner][node];
        if (settings.gateways == address(0)) return new string[](0);
        (gateways,) = EnsgateGatewayList.decode(EnsgateGatewayList.load(settings.gateways, settings.gatewaysSize));
    }

    /// @dev What lookups of a name owned by `owner` read. `nodes` are the name's suffix nodes
    ///      (`DnsName.suffixNodes`); the top-level node, the last, is skipped. The epoch sums `owner`'s counters over all of them; the
    ///      recordhash and the gateway list are the closest ones `owner` set, the recordhash
    ///      falling back to `owner`'s wallet-wide one.
    function _treeOf(address owner, bytes32[] memory nodes) internal view returns (Tree memory tree) {
        uint256 count = nodes.length - 1;
        for (uint256 i; i < count; ++i) {
            NodeSettings storage settings = _settings[owner][nodes[i]];
            tree.epoch += settings.counter;
            if (tree.gateways == address(0) && settings.gateways != address(0)) {
                tree.gateways = settings.gateways;
                tree.gatewaysSize = settings.gatewaysSize;
            }
            if (tree.ipnsKey == 0) tree.ipnsKey = settings.ipnsKey;
        }
        if (tree.ipnsKey == 0) tree.ipnsKey = _walletKeys[owner];
    }
}
