/** One line saying what a fault map holds, for the train and run commands. */
import type { FaultSummary } from './fault-map';

/** E.g. "faults (seed 1): 412 of 406,528 synapses with stuck weight cells (51 after SECDED), 3 neurons stuck on, 5 off". */
export function describeFaults(seed: number, s: FaultSummary): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const parts = [`${n(s.weightFaultsDrawn)} of ${n(s.synapses)} synapses with stuck weight cells${s.ecc === 'secded' ? ` (${n(s.weightFaults)} left after SECDED)` : ''}`];
  if (s.registerFaultsDrawn > 0) parts.push(`${n(s.registerFaultsDrawn)} with a stuck learning-register bit${s.ecc === 'secded' ? ` (${n(s.registerFaults)} left after SECDED)` : ''}`);
  if (s.neuronsStuckOn + s.neuronsStuckOff > 0) parts.push(`${n(s.neuronsStuckOn)} neurons stuck on, ${n(s.neuronsStuckOff)} stuck off`);
  return `faults (faults.seed ${seed}): ${parts.join(', ')}`;
}
