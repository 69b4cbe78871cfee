// The owner's wallet key: from ENSGATE_PRIVATE_KEY, or an encrypted keystore file whose password
// is in ENSGATE_KEYSTORE_PASSWORD. The key is never printed.
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import { type Hex, isHex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { CliConfig } from "./config.ts";
import { ClientError } from "./errors.ts";

/** Loads the owner's account; a one-line error when no key is configured or it does not decode. */
export async function loadOwnerAccount(
  config: CliConfig,
  env = process.env,
): Promise<LocalAccount> {
  if (config.keystore) {
    const password = env.ENSGATE_KEYSTORE_PASSWORD;
    if (password === undefined)
      throw new ClientError("set ENSGATE_KEYSTORE_PASSWORD to unlock the keystore");
    let json: string;
    try {
      json = readFileSync(config.keystore, "utf8");
    } catch {
      throw new ClientError(`keystore ${config.keystore} cannot be read`);
    }
    try {
      // ethers implements the Web3 Secret Storage (keystore v3) format; viem does not.
      const wallet = await Wallet.fromEncryptedJson(json, password);
      return privateKeyToAccount(wallet.privateKey as Hex);
    } catch {
      throw new ClientError(
        `keystore ${config.keystore} does not decrypt with ENSGATE_KEYSTORE_PASSWORD`,
      );
    }
  }
  const key = env.ENSGATE_PRIVATE_KEY;
  if (key === undefined || key === "")
    throw new ClientError(
      "no wallet key: set ENSGATE_PRIVATE_KEY, or --keystore with ENSGATE_KEYSTORE_PASSWORD",
    );
  const normalized = key.startsWith("0x") ? key : `0x${key}`;
  if (!isHex(normalized, { strict: true }) || normalized.length !== 66)
    throw new ClientError("ENSGATE_PRIVATE_KEY is not a 32-byte hex private key");
  try {
    return privateKeyToAccount(normalized as Hex);
  } catch {
    throw new ClientError("ENSGATE_PRIVATE_KEY is not a valid secp256k1 private key");
  }
}
