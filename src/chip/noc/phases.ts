/**
 * Phases of the network inside one cycle (the kernel runs phase 0 first):
 *   PHASE_LINK    flits arriving from links or cores enter input buffers; credits return
 *   PHASE_ROUTER  routers arbitrate; so a flit may be granted in the cycle it arrives
 *   PHASE_DELIVER ejected flits are written to the destination core / I/O port
 * Phases from PHASE_FIRST_FREE on are free for the cores and the step barrier.
 */

/** Link arrivals and credit returns. */
export const PHASE_LINK = 0;
/** Router arbitration and crossbar grants. */
export const PHASE_ROUTER = 1;
/** Delivery of ejected flits. */
export const PHASE_DELIVER = 2;
/** First phase not used by the network. */
export const PHASE_FIRST_FREE = 3;
