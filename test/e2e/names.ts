// The names helpers live with the stack (scripts/stack/names.ts); benchmarks use them too.
export * from "../../scripts/stack/names.ts";
