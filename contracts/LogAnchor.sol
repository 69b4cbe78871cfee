// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ensgate log anchor: the latest checkpoint of the CA's transparency log, on-chain
/// @notice Holds the tree size and RFC 6962 root of the latest checkpoint the log's operator
///         anchored. A new checkpoint is accepted only with a consistency proof (RFC 9162
///         §2.1.4.2) from the anchored one, verified here, so the anchored history can only grow:
///         a forked or rolled-back log can never be anchored, and every client that compares a
///         checkpoint with this one sees the same history. See docs/certificates.md, section 9.
/// @dev The proof's hashes are SHA-256 (the precompile): an inner node is
///      SHA-256(0x01 || left || right). The empty tree's root is SHA-256 of nothing.
contract LogAnchor {
    /// @notice The account allowed to anchor (the CA's log operator).
    address public immutable operator;

    /// @notice The log's checkpoint origin (its name), for clients to match the log.
    string public origin;

    /// @notice The anchored tree size.
    uint64 public size;

    /// @notice The anchored root hash.
    bytes32 public root;

    /// @notice A checkpoint was anchored.
    event CheckpointAnchored(uint64 indexed size, bytes32 root);

    /// @notice The caller is not the operator.
    error NotOperator(address caller);

    /// @notice The proposed tree is not larger than the anchored one.
    error NotLarger(uint64 anchored, uint64 proposed);

    /// @notice The consistency proof does not link the anchored tree to the proposed one.
    error InconsistentCheckpoint(uint64 anchored, uint64 proposed);

    /// @param operator_ The account allowed to anchor.
    /// @param origin_ The log's checkpoint origin.
    constructor(address operator_, string memory origin_) {
        operator = operator_;
        origin = origin_;
        root = sha256("");
    }

    /// @notice Anchors the checkpoint (newSize, newRoot), proved consistent with the anchored one.
    /// @param newSize The new tree size, larger than the anchored size.
    /// @param newRoot The new root hash.
    /// @param proof The RFC 6962 consistency proof from the anchored size to newSize (empty when
    ///        the anchored tree is empty).
    function anchor(uint64 newSize, bytes32 newRoot, bytes32[] calldata proof) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        uint64 oldSize = size;
        if (newSize <= oldSize) revert NotLarger(oldSize, newSize);
        if (!verifyConsistency(oldSize, newSize, root, newRoot, proof)) {
            revert InconsistentCheckpoint(oldSize, newSize);
        }
        size = newSize;
        root = newRoot;
        emit CheckpointAnchored(newSize, newRoot);
    }

    /// @notice RFC 9162 §2.1.4.2: whether `proof` shows the tree (newSize, newRoot) extends the
    ///         tree (oldSize, oldRoot).
    function verifyConsistency(
        uint64 oldSize,
        uint64 newSize,
        bytes32 oldRoot,
        bytes32 newRoot,
        bytes32[] calldata proof
    ) public pure returns (bool) {
        if (oldSize > newSize) return false;
        if (oldSize == newSize) return proof.length == 0 && oldRoot == newRoot;
        if (oldSize == 0) return proof.length == 0;
        if (proof.length == 0) return false;
        // When the old tree is a complete subtree, its root is the proof's implicit first hash.
        bool complete = oldSize & (oldSize - 1) == 0;
        uint256 start = complete ? 0 : 1;
        bytes32 fr = complete ? oldRoot : proof[0];
        bytes32 sr = fr;
        uint64 fn = oldSize - 1;
        uint64 sn = newSize - 1;
        while (fn & 1 == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        for (uint256 i = start; i < proof.length; i++) {
            if (sn == 0) return false;
            bytes32 c = proof[i];
            if (fn & 1 == 1 || fn == sn) {
                fr = _node(c, fr);
                sr = _node(c, sr);
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = _node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr == oldRoot && sr == newRoot;
    }

    function _node(bytes32 left, bytes32 right) private pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x01), left, right));
    }
}
