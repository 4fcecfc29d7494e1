import { IQ_DEFAULTS, iqRouterNoc, iqZeroLoadLatency, type IqRouterConfig } from '../../../src/noc/booksim';
import { makeMesh, atCycle } from './helpers';

describe('BookSim iq_router configuration', () => {
  const cases: [string, IqRouterConfig][] = [
    ['defaults, 1 VC', { ...IQ_DEFAULTS, vcs: 1, bufferDepth: 4 }],
    ['2 VCs, routing_delay 0', { ...IQ_DEFAULTS, vcs: 2, bufferDepth: 8, routingDelay: 0 }],
    ['speculative', { ...IQ_DEFAULTS, vcs: 2, bufferDepth: 4, speculative: true }],
    ['slow crossbar', { ...IQ_DEFAULTS, vcs: 1, bufferDepth: 8, stFinalDelay: 2 }],
  ];
  it.each(cases)('%s: zero-load latency from creation equals BookSim\'s (H+1)(rd+alloc+st+1)+2 for every pair', (_n, c) => {
    const { kernel, mesh, deliveries } = makeMesh(4, 4, iqRouterNoc(c));
    const sent: { src: number; dst: number; at: number }[] = [];
    let t = 0;
    for (let s = 0; s < 16; s += 3) {
      for (let d = 0; d < 16; d += 2) {
        const at = t;
        sent.push({ src: s, dst: d, at });
        atCycle(kernel, at, () => mesh.inject(s, d, 0, 0));
        t += 100;
      }
    }
    kernel.run();
    expect(deliveries).toHaveLength(sent.length);
    deliveries.forEach((got, i) => {
      const e = sent[i]!;
      expect(got.cycle - e.at).toBe(iqZeroLoadLatency(c, mesh.hopsBetween(e.src, e.dst)));
    });
  });

  it('4-flit packets (8-bit flits, 32-bit packets): zero-load latency of the tail is BookSim\'s formula + 3 for every pair', () => {
    const c: IqRouterConfig = { ...IQ_DEFAULTS, vcs: 2, bufferDepth: 4 };
    const { kernel, mesh, deliveries } = makeMesh(4, 4, { ...iqRouterNoc(c), flitWidth: 8 });
    const sent: { src: number; dst: number; at: number }[] = [];
    let t = 0;
    for (let s = 0; s < 16; s += 3) {
      for (let d = 1; d < 16; d += 2) {
        const at = t;
        sent.push({ src: s, dst: d, at });
        atCycle(kernel, at, () => mesh.inject(s, d, 0, 0, 0, 0, 32));
        t += 100;
      }
    }
    kernel.run();
    expect(mesh.flitsOf(32)).toBe(4);
    expect(deliveries).toHaveLength(sent.length);
    deliveries.forEach((got, i) => {
      const e = sent[i]!;
      expect(got.cycle - e.at).toBe(iqZeroLoadLatency(c, mesh.hopsBetween(e.src, e.dst), 4));
    });
  });

  // A single VC passes one single-flit packet per routing + VC + switch allocation
  // (the next head starts routing when the previous tail leaves, as in
  // IQRouter::_SWAllocUpdate), and one flit per credit round trip per buffered flit:
  // BookSim's min_latency = 1 + st + channel + routing + alloc + credit channel + credit_delay.
  it.each([
    ['depth 1: credit-bound, 1 flit / 8 cycles', 1, 1, 200 / 8],
    ['depth 4: bound by the VC pipeline, 1 packet / 3 cycles', 4, 1, Math.round(200 / 3)],
    ['depth 4, routing_delay 0: 1 packet / 2 cycles (the credit bound 4/7 is higher)', 4, 0, 200 / 2],
  ])('one VC, %s', (_n, depth, routingDelay, expected) => {
    const c = { ...IQ_DEFAULTS, vcs: 1, bufferDepth: depth, routingDelay };
    const { kernel, mesh, deliveries } = makeMesh(3, 1, iqRouterNoc(c));
    const pump = kernel.register((_a, _b, cyc) => {
      if (mesh.canInject(0)) mesh.inject(0, 2, 0, 0);
      if (cyc < 400) kernel.after(1, 3, pump, 0, 0);
    });
    kernel.at(0, 3, pump, 0, 0);
    kernel.run();
    expect(deliveries.filter((d) => d.cycle >= 200 && d.cycle < 400).length).toBe(expected);
  });
});
