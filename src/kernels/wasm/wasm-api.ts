/**
 * The small part of the WebAssembly JS API the kernels use, typed locally because the
 * project compiles against lib ES2022 (no DOM typings, where WebAssembly is declared).
 */

/** A linear memory; `buffer` is replaced (and old views detached) when it grows. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A compiled, not yet instantiated module. */
export type WasmModule = object;

/** An instantiated module's exports. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** The Module constructor, with its static export listing. */
interface WasmModuleConstructor {
  new (bytes: Uint8Array): WasmModule;
  exports(module: WasmModule): { name: string; kind: string }[];
}

interface WasmNamespace {
  Module: WasmModuleConstructor;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

/** Node's global WebAssembly object. */
export const webAssembly: WasmNamespace = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;
