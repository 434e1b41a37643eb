/** Gateway state behind small async interfaces: in process by default; shared stores implement the same ones. */
export { MemoryResponseStore, type MemoryResponseStoreOptions } from "./memory-response-store.js";
export type { ResponseStore } from "./response-store.js";
