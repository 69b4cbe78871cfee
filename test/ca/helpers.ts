// The CA stack helpers live with the stack (scripts/stack/caStack.ts); bench-ca uses them too.
export * from "../../scripts/stack/caStack.ts";
