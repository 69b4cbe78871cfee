// The resolver's ABI, from Hardhat's artifact at build time (webapp/vite.config.ts): only the ABI
// is bundled, not the bytecode.
declare module "virtual:ensgate/resolver-abi" {
  const abi: import("viem").Abi;
  export default abi;
}
