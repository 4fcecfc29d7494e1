/**
 * What the mesh tells the outside: the receiver of deliveries and injection credits
 * (the chip's cores and I/O port), and an optional observer of every flit movement
 * (the RTL co-simulation).
 */

/** The receiver of deliveries and injection credits (one per mesh). */
export interface NocClient {
  /** Packet `flit` reached endpoint `endpoint` at `cycle`. */
  onEject(endpoint: number, axon: number, bit: number, flit: number, cycle: number): void;
  /** An injection credit of `endpoint` came back: canInject may have become true. */
  onCredit(endpoint: number, cycle: number): void;
  /**
   * Lean single-lane router: true when the I/O port will inject nothing more in the
   * current cycle (it injects in a later phase than the cores), so a core flit at the
   * I/O port's router may be arbitrated ahead (SingleLanePath.arriveAhead). Omitted:
   * never assumed.
   */
  ioDone?(): boolean;
  /**
   * Lean single-lane router: true when core `endpoint` cannot hand a flit to its router
   * in any cycle from now to `cycle` - 1, so a flit for it may be arbitrated at its
   * destination router ahead (SingleLanePath.lastHopAhead). Omitted: never assumed.
   */
  quietBefore?(endpoint: number, cycle: number): boolean;
}

/**
 * Watches the routers' flit movements and credit returns (for co-simulation against
 * the RTL twin in hw/rtl); off by default, and then it costs one null test per event.
 */
export interface MeshObserver {
  /** Flit `f` entered input buffer `port` of router `r` at `cycle`. */
  arrive(r: number, port: number, f: number, cycle: number): void;
  /** Router `r` granted the head flit `f` of input `inPort` to output `outPort` at `cycle`. */
  grant(r: number, inPort: number, outPort: number, f: number, cycle: number): void;
  /** A credit came back to output `port` of router `r` (a mesh port, or the injection lane `port` for the endpoint's input). */
  credit(r: number, port: number, cycle: number): void;
}

/** A client that ignores everything (a mesh before `attach`). */
export const NO_CLIENT: NocClient = { onEject: () => undefined, onCredit: () => undefined };
