// Who owns a node: its registry owner, or its NameWrapper owner when the registry owner is the
// NameWrapper. The decision only: the caller reads the chain. The resolver's
// `NameOwnership._nodeOwner` (contracts/resolver/NameOwnership.sol) is the on-chain twin.
import { type Address, isAddressEqual, zeroAddress } from "viem";

/**
 * The effective owner of a node whose registry owner is `registryOwner`: that owner, unless it is
 * `nameWrapper` (the configured NameWrapper; undefined or zero: none), in which case the owner
 * `readWrappedOwner(nameWrapper)` returns (NameWrapper `ownerOf(uint256(node))`), read only then. The zero
 * address means no owner, as on-chain.
 */
export async function effectiveOwner(
  registryOwner: Address,
  nameWrapper: Address | undefined,
  readWrappedOwner: (nameWrapper: Address) => Promise<Address>,
): Promise<Address> {
  if (
    nameWrapper === undefined ||
    isAddressEqual(registryOwner, zeroAddress) ||
    !isAddressEqual(registryOwner, nameWrapper)
  )
    return registryOwner;
  return readWrappedOwner(nameWrapper);
}
