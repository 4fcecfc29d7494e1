/** Fault models of the simulated chip (stuck SRAM cells, stuck neurons, transient read flips, SECDED), applied identically by both models. */
export * from './params';
export * from './fault-map';
export * from './block-faults';
export * from './describe';
export * from './read-flips';
