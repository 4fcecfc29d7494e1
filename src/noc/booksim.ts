/**
 * BookSim2's input-queued router (src/routers/iq_router.cpp) as a configuration of
 * the VC router (docs/noc-validation.md lists the rules and where they come from):
 *   - per-packet VC allocation, separable input-first with round-robin arbiters
 *     (vc_allocator = sw_allocator = separable_input_first), an output VC reusable
 *     once the tail has passed (wait_for_tail_credit = 0);
 *   - a head spends routing_delay cycles in route computation, vc_alloc_delay in VC
 *     allocation, sw_alloc_delay in switch allocation and st_final_delay in the
 *     crossbar: routeDelay = routing_delay, vcAllocDelay = vc_alloc_delay,
 *     routerDelay = sw_alloc_delay + st_final_delay (our switch grant cycle is the
 *     first cycle of switch allocation); speculative = speculative (hides the VC
 *     allocation cycle when vc_alloc_delay <= sw_alloc_delay);
 *   - channels of `channel latency` cycles (default 1): linkDelay = latency; the
 *     injection channel puts a flit in the router one cycle after the source sends
 *     it (injectionDelay 1); a flit leaving on the ejection channel is retired one
 *     cycle after it arrives (ejectionDelay = latency + 1);
 *   - credits travel back on a credit channel (latency 1) and are processed
 *     credit_delay cycles later, one cycle after the downstream buffer frees the
 *     slot: creditDelay = credit_delay + 2. This gives the buffer round trip of
 *     IQRouter::AddOutputChannel's min_latency = 1 + crossbar + channel + routing +
 *     allocation + credit channel + credit_delay;
 *   - ejection always accepts (ejectionDepth 0).
 */
import type { NocParams } from '../hw/noc-params';

/** The iq_router parameters that matter for the comparison (BookSim config names in comments). */
export interface IqRouterConfig {
  /** num_vcs */
  vcs: number;
  /** vc_buf_size */
  bufferDepth: number;
  /** routing_delay */
  routingDelay: number;
  /** vc_alloc_delay */
  vcAllocDelay: number;
  /** sw_alloc_delay */
  swAllocDelay: number;
  /** st_final_delay */
  stFinalDelay: number;
  /** credit_delay */
  creditDelay: number;
  /** speculative */
  speculative: boolean;
}

/** BookSim's defaults (booksim_config.cpp) for the stage delays; credit_delay as in its example configs' spirit (1). */
export const IQ_DEFAULTS: Omit<IqRouterConfig, 'vcs' | 'bufferDepth'> = {
  routingDelay: 1,
  vcAllocDelay: 1,
  swAllocDelay: 1,
  stFinalDelay: 1,
  creditDelay: 1,
  speculative: false,
};

/** The VC router configuration that follows iq_router's rules. */
export function iqRouterNoc(c: IqRouterConfig): NocParams {
  return {
    bufferDepth: c.bufferDepth,
    vcs: c.vcs,
    vcClasses: [],
    flitWidth: 0,
    vcAllocator: 'separable-input-first',
    routeDelay: c.routingDelay,
    vcAllocDelay: c.vcAllocDelay,
    switchAllocDelay: 0,
    speculative: c.speculative,
    routing: 'xy',
    routerDelay: c.swAllocDelay + c.stFinalDelay,
    linkDelay: 1,
    creditDelay: c.creditDelay + 2,
    injectionDelay: 1,
    ejectionDelay: 2,
    ejectionDepth: 0,
    multicast: 'unicast',
    watchdogCycles: 100000,
  };
}

/**
 * BookSim's zero-load packet latency (creation to retirement of the tail) for H
 * router-to-router hops and packets of F flits: H + 1 routers of routing + allocation
 * + crossbar and one channel each, plus the injection channel and the retirement
 * cycle, plus one cycle per body flit behind the head (buffers of at least F flits):
 *   (H + 1) * (routing_delay + alloc + st_final_delay + 1) + 2 + (F - 1),
 *   alloc = speculative ? max(vc_alloc_delay, sw_alloc_delay) : vc_alloc_delay + sw_alloc_delay.
 */
export function iqZeroLoadLatency(c: IqRouterConfig, hops: number, flits = 1): number {
  const alloc = c.speculative ? Math.max(c.vcAllocDelay, c.swAllocDelay) : c.vcAllocDelay + c.swAllocDelay;
  return (hops + 1) * (c.routingDelay + alloc + c.stFinalDelay + 1) + 2 + (flits - 1);
}
