import { assertCertificateName, bridgeName } from "./bridgeName.ts";

/**
 * The dNSName subtrees a certificate for `name` may cover: the ENS name and its bridge name
 * (each with all their subnames). These are the intermediate's Name Constraints.
 */
export function certificateSubtrees(name: string, bridgeDomain: string): [string, string] {
  return [assertCertificateName(name), bridgeName(name, bridgeDomain)];
}

/**
 * True when the dNSName `candidate` lies in the subtree rooted at `root` (equal to it or a subname),
 * as RFC 5280 name constraints match. A leading `*.` wildcard label matches as its parent's subname.
 */
export function isWithinSubtree(candidate: string, root: string): boolean {
  const name = candidate.toLowerCase();
  const base = root.toLowerCase();
  if (name.startsWith("*.")) return isWithinSubtree(name.slice(2), base) && name.length > 2;
  return name === base || name.endsWith(`.${base}`);
}

/** True when a dNSName lies inside one of `subtrees`. */
export function isWithinSubtrees(candidate: string, subtrees: readonly string[]): boolean {
  return subtrees.some((root) => isWithinSubtree(candidate, root));
}
