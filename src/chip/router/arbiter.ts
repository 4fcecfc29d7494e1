/**
 * Round-robin arbiter of one output port: among the requesting inputs (bit i of
 * `requests` set = input i requests), grant the first at or after the pointer,
 * cyclically over `ports` inputs; the pointer then moves just past the winner, so
 * a continuously requesting input waits at most ports - 1 grants.
 */

/** Index of the granted input (requests must be non-zero). */
export function roundRobinPick(requests: number, pointer: number, ports: number): number {
  for (let k = 0; k < ports; k++) {
    let i = pointer + k;
    if (i >= ports) i -= ports;
    if ((requests >>> i) & 1) return i;
  }
  return -1;
}
