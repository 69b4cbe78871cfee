import { type Address, encodePacked, getAddress, type Hex, keccak256, stringToHex } from "viem";
import { formatCaip10 } from "./caip10.ts";

/** Inputs shared by SIGN 1 and SIGN 2. */
export type KeygenMessageParameters = {
  /** The ENS name the keys are for, or `eth:<address>` for wallet-wide keys (see `buildKeygenOrigin`). */
  origin: string;
  /** Optional password mixed into Extradata (NameSys `PASSWORD`); empty when unset. */
  password?: string | undefined;
  chainId: number | bigint;
  wallet: Address;
};

/** SIGN 1/2 `Origin`: the ENS name, or `eth:<checksummed wallet>` for wallet-wide keys. */
export function buildKeygenOrigin({
  name,
  wallet,
}: {
  name?: string | undefined;
  wallet: Address;
}): string {
  return name ?? `eth:${getAddress(wallet)}`;
}

/** SIGN 1/2 `Extradata`: keccak256(abi.encodePacked(keccak256(abi.encodePacked(password)), wallet)). */
export function buildKeygenExtradata(password: string, wallet: Address): Hex {
  const passwordHash = keccak256(stringToHex(password));
  return keccak256(encodePacked(["bytes32", "address"], [passwordHash, getAddress(wallet)]));
}

/** SIGN 1: the wallet message whose signature derives the ed25519 IPNS key. */
export function buildIpnsKeygenMessage(parameters: KeygenMessageParameters): string {
  return buildKeygenMessage("Requesting Signature To Generate IPNS Key", "ed25519", parameters);
}

/** SIGN 2: the wallet message whose signature derives the secp256k1 records signer key. */
export function buildSignerKeygenMessage(parameters: KeygenMessageParameters): string {
  return buildKeygenMessage(
    "Requesting Signature To Generate ENS Records Signer",
    "secp256k1",
    parameters,
  );
}

function buildKeygenMessage(
  title: string,
  keyType: string,
  { origin, password = "", chainId, wallet }: KeygenMessageParameters,
): string {
  return [
    `${title}\n`,
    `Origin: ${origin}`,
    `Key Type: ${keyType}`,
    `Extradata: ${buildKeygenExtradata(password, wallet)}`,
    `Signed By: ${formatCaip10(chainId, wallet)}`,
  ].join("\n");
}
