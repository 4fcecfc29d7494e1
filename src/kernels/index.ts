/**
 * Bit kernels over packed Uint32Array vectors (bit i in word i >>> 5, position i & 31,
 * tail bits zero): the portable TypeScript build, the bit-plane counter layout, and
 * the WebAssembly build of the layer kernels (WasmKernels). See docs/kernels.md.
 */
export { wordsFor, tailMask, pack, unpack, getBit, setBit } from './bits';
export { popcount32, popcountVec } from './popcount';
export { dotXnor, dotAnd } from './dot';
export { matVecXnor, matVecAnd } from './matvec';
export { transpose32, transposeBits, transposeBitsInto } from './transpose';
export {
  counterMax,
  counterMin,
  counterStride,
  checkCounterRule,
  saturate,
  newTally,
} from './counter-rule';
export type { BitEncoding, CounterRule, PlasticityTally } from './counter-rule';
export { firstOrderMasks, plasticityMasks } from './plasticity-masks';
export { updateRowCounters } from './counter-update';
export { updateLayerCounters } from './plasticity-layer';
export { planeWords, bitPlaneWords, toBitPlanes, fromBitPlanes } from './bit-planes';
export { WasmKernels, DEFAULT_WASM_MEMORY_BYTES } from './wasm/wasm-kernels';
export { RegisterPlanes } from './bit-planes';
export { updateRowPlanes, checkPlaneRule } from './plane-update';
export type { PlaneRule } from './plane-update';
