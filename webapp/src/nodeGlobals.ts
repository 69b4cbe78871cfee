// lib's DNS zone codec (dns-packet) uses Node's Buffer, which browsers lack: the `buffer` package
// is the same API. Imported first by main.ts, before any lib code runs.
import { Buffer } from "buffer";

(globalThis as { Buffer?: unknown }).Buffer ??= Buffer;
