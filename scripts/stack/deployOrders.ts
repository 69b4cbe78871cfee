// Deploying the order contract and pointing the resolver at a certificate authority (the local
// stack uses both; `ensgate ca` reads the same ABI).
import { readFileSync } from "node:fs";
import { type Abi, type Address, type Hex, parseEther } from "viem";
import { deployBytecode, type EnsFixtureClients } from "./ensFixtures.ts";

/** Default fees of the local stack: 0.01 ETH for a domain CA, 0.001 ETH for an end-entity. */
export const LOCAL_FEES = { intermediate: parseEther("0.01"), endEntity: parseEther("0.001") };

/** Deploys `CertificateOrders(admin, ca, intermediateFee, endEntityFee)`; returns its address. */
export async function deployCertificateOrders(
  clients: EnsFixtureClients,
  parameters: { admin: Address; ca: Address; fees?: { intermediate: bigint; endEntity: bigint } },
): Promise<Address> {
  const path = new URL(
    "../../artifacts/contracts/CertificateOrders.sol/CertificateOrders.json",
    import.meta.url,
  );
  const artifact = JSON.parse(readFileSync(path, "utf8")) as { abi: Abi; bytecode: Hex };
  const fees = parameters.fees ?? LOCAL_FEES;
  return deployBytecode(clients, artifact, [
    parameters.admin,
    parameters.ca,
    fees.intermediate,
    fees.endEntity,
  ]);
}

/** `setCertificateAuthority(signer, recordhash)` from the resolver's admin. */
export async function setCertificateAuthority(
  clients: EnsFixtureClients,
  resolver: { address: Address; abi: Abi },
  ca: { signer: Address; recordhash: Hex },
): Promise<void> {
  const hash = await clients.walletClient.writeContract({
    address: resolver.address,
    abi: resolver.abi,
    functionName: "setCertificateAuthority",
    args: [ca.signer, ca.recordhash],
    account: clients.walletClient.account,
    chain: clients.walletClient.chain,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("setCertificateAuthority reverted");
}
