// The name hierarchy rules TypeScript needs: a name's parent, and the path a lookup walks (the
// name, then each ancestor up to its top-level label). The resolver walks the same path on-chain.
import { namehash } from "./namehash.ts";

/** The parent of a name (`sub.alice.eth` -> `alice.eth`), or undefined for a top-level label. */
export function parentName(name: string): string | undefined {
  const dot = name.indexOf(".");
  return dot === -1 ? undefined : name.slice(dot + 1);
}

/** The name and every ancestor up to its top-level label: `a.b.eth` -> `a.b.eth`, `b.eth`, `eth`. */
export function namePath(name: string): string[] {
  const path: string[] = [];
  for (let candidate: string | undefined = name; candidate; candidate = parentName(candidate))
    path.push(candidate);
  return path;
}

/**
 * The name on `name`'s path whose node is `node` (the resolver's `ownerNode`, the closest
 * ancestor with an owner), or undefined when `node` is not on the path.
 */
export function ancestorWithNode(name: string, node: string): string | undefined {
  const wanted = node.toLowerCase();
  return namePath(name).find((candidate) => namehash(candidate) === wanted);
}
