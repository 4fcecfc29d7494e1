/** Naive bit-by-bit reference oracles of every kernel, for tests and benchmarks. */
export * from './naive-bits';
export * from './naive-matrix';
export * from './naive-plasticity';
