// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title ensgate certificate orders: a paid, one-way X.509 certificate request for an ENS name
/// @notice A name owner calls `request` with the DNS-encoded name, a DER PKCS#10 CSR and the kind
///         (0 = intermediate CA for a domain, 1 = end-entity for a name), paying the kind's fee.
///         The CA service watches `OrderRequested`, validates the order off-chain (ownership, CSR)
///         and either `fulfil`s it (certificate hash and where the chain is published) or
///         `reject`s it with a reason, which credits the fee back to the requester. An order the
///         CA has not settled within `settlementTimeout` of its request may be `cancel`led by its
///         requester, which credits the fee back as well.
/// @dev Payments: the fee of an order is held in escrow until the order is settled. Fulfilment
///      moves it to the admin's earned fees; rejection and cancellation credit it to the requester. Overpayment
///      is never kept: the excess is credited to the requester at once. Credits are pulled with
///      `withdrawRefund` (pull payment), so no function pushes ether except the two withdrawals,
///      which zero the balance before the transfer (checks-effects-interactions) and are
///      `nonReentrant`. Plain ether transfers are refused (no `receive`). See docs/certificates.md.
contract CertificateOrders is AccessControl, ReentrancyGuard {
    // ----------------------------------------------------------------------------------------
    // Constants and types
    // ----------------------------------------------------------------------------------------

    /// @notice Role of the CA service: may fulfil and reject orders.
    bytes32 public constant CA_ROLE = keccak256("CA_ROLE");

    /// @notice Largest CSR accepted, in bytes (equals lib/certs `MAX_CSR_BYTES`).
    uint256 public constant MAX_CSR_LENGTH = 4096;

    /// @notice Largest DNS-encoded name, in bytes (RFC 1035, length octets and root included).
    uint256 public constant MAX_NAME_LENGTH = 255;

    /// @notice Kind byte of an intermediate CA order (one per ENS domain).
    uint8 public constant KIND_INTERMEDIATE = 0;

    /// @notice Kind byte of an end-entity (TLS server) certificate order.
    uint8 public constant KIND_END_ENTITY = 1;

    /// @dev Number of kinds; a kind byte is valid when it is below this.
    uint8 private constant KIND_COUNT = 2;

    /// @notice Settlement timeout a new contract starts with.
    uint256 public constant DEFAULT_SETTLEMENT_TIMEOUT = 1 hours;

    /// @notice Shortest settlement timeout the admin may set (the CA needs time to confirm).
    uint256 public constant MIN_SETTLEMENT_TIMEOUT = 1 minutes;

    /// @notice Longest settlement timeout the admin may set: bounds how long a fee can be held.
    uint256 public constant MAX_SETTLEMENT_TIMEOUT = 7 days;

    /// @notice Life cycle of an order: `None` (no such order), `Pending`, then exactly one of
    ///         `Fulfilled`, `Rejected` (by the CA) or `Cancelled` (by the requester, after the
    ///         settlement timeout).
    enum Status {
        None,
        Pending,
        Fulfilled,
        Rejected,
        Cancelled
    }

    /// @notice What the contract keeps of an order (the name and CSR live in the event only).
    struct Order {
        address requester;
        uint8 kind;
        Status status;
        /// @dev `block.timestamp` of the request (packed with the three fields above).
        uint64 requestedAt;
        uint256 fee;
        bytes32 certificateHash;
    }

    // ----------------------------------------------------------------------------------------
    // Storage
    // ----------------------------------------------------------------------------------------

    /// @notice Fee of each kind, in wei (index = kind byte).
    uint256[KIND_COUNT] public fees;

    /// @notice Id the next order gets (ids start at 1).
    uint256 public nextOrderId = 1;

    /// @notice Fees of fulfilled orders not yet withdrawn by the admin.
    uint256 public earnedFees;

    /// @notice Fees of pending orders (in escrow until fulfilled or rejected).
    uint256 public escrowedFees;

    /// @notice Seconds after its request from which the requester may cancel a pending order.
    ///         A change applies to pending orders too; it stays within the MIN/MAX bounds.
    uint256 public settlementTimeout;

    /// @notice Ether each account may pull with `withdrawRefund` (rejections, cancellations and
    ///         overpayments).
    mapping(address account => uint256 amount) public refunds;

    /// @dev Orders by id.
    mapping(uint256 orderId => Order) private _orders;

    // ----------------------------------------------------------------------------------------
    // Events
    // ----------------------------------------------------------------------------------------

    /// @notice An order was placed: everything the CA needs to validate and issue it.
    /// @param orderId The new order's id.
    /// @param requester Who paid (the CA checks they own `dnsName` at the confirmed block).
    /// @param kind 0 = intermediate CA for a domain, 1 = end-entity for a name.
    /// @param dnsName The name, DNS wire format (as ENSIP-10 `resolve`).
    /// @param csr The DER PKCS#10 certificate signing request.
    /// @param fee The fee held in escrow for this order (excess payment is credited separately).
    event OrderRequested(
        uint256 indexed orderId,
        address indexed requester,
        uint8 indexed kind,
        bytes dnsName,
        bytes csr,
        uint256 fee
    );

    /// @notice The CA issued the certificate of an order and published it.
    /// @param orderId The order.
    /// @param certificateHash SHA-256 of the issued certificate's DER.
    /// @param location Where the chain is published (e.g. the record file's IPNS path).
    event OrderFulfilled(uint256 indexed orderId, bytes32 certificateHash, string location);

    /// @notice The CA refused an order; its fee was credited back to the requester.
    /// @param orderId The order.
    /// @param reason Machine-readable code and message (e.g. `sanOutsideSubtree: ...`).
    /// @param refund The amount credited.
    event OrderRejected(uint256 indexed orderId, string reason, uint256 refund);

    /// @notice The requester cancelled an order the CA had not settled in time; its fee was
    ///         credited back to the requester.
    /// @param orderId The order.
    /// @param refund The amount credited.
    event OrderCancelled(uint256 indexed orderId, uint256 refund);

    /// @notice `amount` was credited to `account` (rejection, cancellation or overpayment) for
    ///         `orderId`.
    event RefundCredited(address indexed account, uint256 indexed orderId, uint256 amount);

    /// @notice `account` pulled its credited refunds.
    event RefundWithdrawn(address indexed account, uint256 amount);

    /// @notice The admin changed the fee of `kind`.
    event FeeChanged(uint8 indexed kind, uint256 previousFee, uint256 newFee);

    /// @notice The admin changed the settlement timeout (seconds).
    event SettlementTimeoutChanged(uint256 previousTimeout, uint256 newTimeout);

    /// @notice The admin withdrew the earned fees to `to`.
    event FeesWithdrawn(address indexed to, uint256 amount);

    // ----------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------

    /// @notice The kind byte is not 0 (intermediate) or 1 (end-entity).
    error UnknownKind(uint8 kind);

    /// @notice The CSR is empty.
    error EmptyCsr();

    /// @notice The CSR is longer than `MAX_CSR_LENGTH`.
    error CsrTooLarge(uint256 length, uint256 maxLength);

    /// @notice The name is not DNS wire format (empty label, label over 63 bytes, over 255 bytes,
    ///         missing root byte or trailing bytes), or is the root alone.
    error InvalidDnsName();

    /// @notice `msg.value` is below the kind's fee.
    error InsufficientPayment(uint256 required, uint256 sent);

    /// @notice The order does not exist or is already fulfilled, rejected or cancelled.
    error OrderNotPending(uint256 orderId, Status status);

    /// @notice Only the order's requester may cancel it.
    error NotRequester(uint256 orderId, address caller);

    /// @notice The order may be cancelled from `cancellableAt` (unix seconds) on.
    error SettlementTimeoutNotReached(uint256 orderId, uint256 cancellableAt);

    /// @notice A settlement timeout outside `MIN_SETTLEMENT_TIMEOUT`..`MAX_SETTLEMENT_TIMEOUT`.
    error InvalidSettlementTimeout(uint256 timeout, uint256 minTimeout, uint256 maxTimeout);

    /// @notice `fulfil` needs a non-zero certificate hash.
    error EmptyCertificateHash();

    /// @notice There is nothing to withdraw.
    error NothingToWithdraw();

    /// @notice Fees cannot be sent to the zero address.
    error ZeroAddress();

    /// @notice The ether transfer to `to` failed.
    error TransferFailed(address to, uint256 amount);

    // ----------------------------------------------------------------------------------------
    // Construction
    // ----------------------------------------------------------------------------------------

    /// @notice Sets the admin, the CA service account, the initial fees and the default
    ///         settlement timeout (`DEFAULT_SETTLEMENT_TIMEOUT`, changed with
    ///         `setSettlementTimeout`).
    /// @param admin Holder of `DEFAULT_ADMIN_ROLE` (fees, roles, fee withdrawal).
    /// @param ca Holder of `CA_ROLE` (fulfil and reject); may be the zero address to grant later.
    /// @param intermediateFee Fee of a kind-0 order, in wei.
    /// @param endEntityFee Fee of a kind-1 order, in wei.
    constructor(address admin, address ca, uint256 intermediateFee, uint256 endEntityFee) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (ca != address(0)) _grantRole(CA_ROLE, ca);
        _setFee(KIND_INTERMEDIATE, intermediateFee);
        _setFee(KIND_END_ENTITY, endEntityFee);
        _setSettlementTimeout(DEFAULT_SETTLEMENT_TIMEOUT);
    }

    // ----------------------------------------------------------------------------------------
    // Requester
    // ----------------------------------------------------------------------------------------

    /// @notice Orders a certificate: pays the fee of `kind` and emits `OrderRequested`.
    /// @dev Any excess over the fee is credited to the sender (`RefundCredited`) and can be pulled
    ///      with `withdrawRefund`. Ownership of the name and the CSR's content are checked by the
    ///      CA off-chain; a failed check ends in `reject` and a refund.
    /// @param dnsName The name in DNS wire format.
    /// @param csr The DER PKCS#10 CSR (1 to `MAX_CSR_LENGTH` bytes).
    /// @param kind 0 = intermediate CA for a domain, 1 = end-entity for a name.
    /// @return orderId The id of the new order.
    function request(bytes calldata dnsName, bytes calldata csr, uint8 kind)
        external
        payable
        nonReentrant
        returns (uint256 orderId)
    {
        if (kind >= KIND_COUNT) revert UnknownKind(kind);
        if (csr.length == 0) revert EmptyCsr();
        if (csr.length > MAX_CSR_LENGTH) revert CsrTooLarge(csr.length, MAX_CSR_LENGTH);
        _checkDnsName(dnsName);
        uint256 fee = fees[kind];
        if (msg.value < fee) revert InsufficientPayment(fee, msg.value);

        orderId = nextOrderId++;
        _orders[orderId] = Order({
            requester: msg.sender,
            kind: kind,
            status: Status.Pending,
            requestedAt: uint64(block.timestamp),
            fee: fee,
            certificateHash: bytes32(0)
        });
        escrowedFees += fee;
        emit OrderRequested(orderId, msg.sender, kind, dnsName, csr, fee);

        uint256 excess = msg.value - fee;
        if (excess > 0) {
            refunds[msg.sender] += excess;
            emit RefundCredited(msg.sender, orderId, excess);
        }
    }

    /// @notice Cancels the caller's pending order once the CA has left it unsettled for
    ///         `settlementTimeout`, and credits its fee back (pull it with `withdrawRefund`).
    /// @dev A cancelled order can no longer be fulfilled or rejected (`OrderNotPending`); the CA
    ///      reads the status before publishing and skips it. No ether moves here.
    /// @param orderId The order.
    function cancel(uint256 orderId) external {
        Order storage order = _pendingOrder(orderId);
        if (order.requester != msg.sender) revert NotRequester(orderId, msg.sender);
        uint256 cancellableAt = cancellableAtOf(orderId);
        if (block.timestamp < cancellableAt) revert SettlementTimeoutNotReached(orderId, cancellableAt);
        order.status = Status.Cancelled;
        uint256 fee = order.fee;
        escrowedFees -= fee;
        emit OrderCancelled(orderId, fee);
        if (fee > 0) {
            refunds[msg.sender] += fee;
            emit RefundCredited(msg.sender, orderId, fee);
        }
    }

    /// @notice Pulls every refund credited to the caller (rejected and cancelled orders,
    ///         overpayments).
    /// @return amount The amount sent.
    function withdrawRefund() external nonReentrant returns (uint256 amount) {
        amount = refunds[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        refunds[msg.sender] = 0;
        emit RefundWithdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------
    // CA
    // ----------------------------------------------------------------------------------------

    /// @notice Marks a pending order fulfilled; its fee becomes earned. Once per order.
    /// @param orderId The order.
    /// @param certificateHash SHA-256 of the issued certificate's DER (non-zero).
    /// @param location Where the chain is published (e.g. an IPNS record path).
    function fulfil(uint256 orderId, bytes32 certificateHash, string calldata location)
        external
        onlyRole(CA_ROLE)
    {
        if (certificateHash == bytes32(0)) revert EmptyCertificateHash();
        Order storage order = _pendingOrder(orderId);
        order.status = Status.Fulfilled;
        order.certificateHash = certificateHash;
        uint256 fee = order.fee;
        escrowedFees -= fee;
        earnedFees += fee;
        emit OrderFulfilled(orderId, certificateHash, location);
    }

    /// @notice Rejects a pending order and credits its fee to the requester. Once per order.
    /// @param orderId The order.
    /// @param reason Why (lib/certs reason code and message, e.g. `cnNotInSans: ...`).
    function reject(uint256 orderId, string calldata reason) external onlyRole(CA_ROLE) {
        Order storage order = _pendingOrder(orderId);
        order.status = Status.Rejected;
        uint256 fee = order.fee;
        address requester = order.requester;
        escrowedFees -= fee;
        emit OrderRejected(orderId, reason, fee);
        if (fee > 0) {
            refunds[requester] += fee;
            emit RefundCredited(requester, orderId, fee);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Admin
    // ----------------------------------------------------------------------------------------

    /// @notice Sets the fee of a kind; pending orders keep the fee they paid.
    /// @param kind 0 = intermediate, 1 = end-entity.
    /// @param fee The new fee, in wei.
    function setFee(uint8 kind, uint256 fee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (kind >= KIND_COUNT) revert UnknownKind(kind);
        _setFee(kind, fee);
    }

    /// @notice Sets the settlement timeout, in seconds (`MIN_SETTLEMENT_TIMEOUT` to
    ///         `MAX_SETTLEMENT_TIMEOUT`); it applies to pending orders too.
    /// @param timeout The new timeout.
    function setSettlementTimeout(uint256 timeout) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSettlementTimeout(timeout);
    }

    /// @notice Sends the fees of fulfilled orders to `to`; escrow and refunds are never touched.
    /// @param to The recipient.
    /// @return amount The amount sent.
    function withdrawFees(address payable to)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        nonReentrant
        returns (uint256 amount)
    {
        if (to == address(0)) revert ZeroAddress();
        amount = earnedFees;
        if (amount == 0) revert NothingToWithdraw();
        earnedFees = 0;
        emit FeesWithdrawn(to, amount);
        _send(to, amount);
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice An order's stored fields (`status` is `None` for an unknown id).
    /// @param orderId The order.
    /// @return The order.
    function getOrder(uint256 orderId) external view returns (Order memory) {
        return _orders[orderId];
    }

    /// @notice When the requester may cancel an order (unix seconds): its request time plus the
    ///         current `settlementTimeout` (0 for an unknown order).
    /// @param orderId The order.
    /// @return The first timestamp at which `cancel` succeeds, while the order is pending.
    function cancellableAtOf(uint256 orderId) public view returns (uint256) {
        uint256 requestedAt = _orders[orderId].requestedAt;
        return requestedAt == 0 ? 0 : requestedAt + settlementTimeout;
    }

    // ----------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------

    /// @dev Sets a fee and emits `FeeChanged`.
    function _setFee(uint8 kind, uint256 fee) private {
        emit FeeChanged(kind, fees[kind], fee);
        fees[kind] = fee;
    }

    /// @dev Checks the bounds, then sets the timeout and emits `SettlementTimeoutChanged`.
    function _setSettlementTimeout(uint256 timeout) private {
        if (timeout < MIN_SETTLEMENT_TIMEOUT || timeout > MAX_SETTLEMENT_TIMEOUT) {
            revert InvalidSettlementTimeout(timeout, MIN_SETTLEMENT_TIMEOUT, MAX_SETTLEMENT_TIMEOUT);
        }
        emit SettlementTimeoutChanged(settlementTimeout, timeout);
        settlementTimeout = timeout;
    }

    /// @dev The order, which must be pending.
    function _pendingOrder(uint256 orderId) private view returns (Order storage order) {
        order = _orders[orderId];
        if (order.status != Status.Pending) revert OrderNotPending(orderId, order.status);
    }

    /// @dev Reverts unless `name` is DNS wire format with at least one label.
    function _checkDnsName(bytes calldata name) private pure {
        uint256 length = name.length;
        if (length < 3 || length > MAX_NAME_LENGTH) revert InvalidDnsName();
        uint256 offset = 0;
        while (true) {
            uint256 labelLength = uint8(name[offset]);
            if (labelLength == 0) break;
            if (labelLength > 63) revert InvalidDnsName();
            offset += labelLength + 1;
            if (offset >= length) revert InvalidDnsName();
        }
        if (offset != length - 1) revert InvalidDnsName();
    }

    /// @dev Sends ether; reverts with `TransferFailed` when the recipient refuses it.
    function _send(address to, uint256 amount) private {
        (bool sent,) = payable(to).call{value: amount}("");
        if (!sent) revert TransferFailed(to, amount);
    }
}
