import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { vcAllocatorOf, type NocParams } from '../../../src/hw/noc-params';
import { needsVcRouter } from '../../../src/chip/noc/vc-path';
import { VcAllocator } from '../../../src/chip/router/vc-alloc';
import { VcState } from '../../../src/chip/router/vc-state';
import { VcSwitchAllocator } from '../../../src/chip/router/vc-switch-alloc';
import { makeMesh } from './helpers';

// One router of 5 ports (port p = global port p), 2 VCs per port, every output VC with credits.
const P = 5;
const V = 2;

function router(): VcState {
  const s = new VcState(P, V, P);
  s.credits.fill(4);
  return s;
}

/** Input VC (port i, VC v) holds a routed unicast head whose output VC on port o is `ov` (-1: still to allocate). */
function head(s: VcState, i: number, v: number, o: number, ov: number): void {
  const gv = i * V + v;
  s.busyVcs[i] = (s.busyVcs[i] as number) | (1 << v);
  s.mask[gv] = 1 << o;
  s.pending[gv] = 1 << o;
  s.missing[gv] = ov < 0 ? 1 << o : 0;
  s.lo[gv] = 0;
  s.hi[gv] = V;
  if (ov >= 0) {
    s.outVc[gv * P + o] = ov;
    s.owner[o * V + ov] = gv;
  }
}

describe('separable input-first switch allocation (BookSim sparse allocator rule)', () => {
  it('the input arbiter picks an output port round robin, not a VC: the VC pointer only breaks ties on one output', () => {
    // Input 0: VC 0 wants output 1, VC 1 wants output 2; VC pointer at VC 0, output pointer at 2.
    for (const combined of [false, true]) {
      const s = router();
      head(s, 0, 0, 1, 0);
      head(s, 0, 1, 2, 0);
      s.inPtr[0] = 0;
      s.inOutPtr[0] = 2;
      const sa = new VcSwitchAllocator(s, combined, false);
      expect(sa.allocate(0, P, 1, 0)).toBe(1);
      // Separable follows the output pointer (output 2, so VC 1); combined the VC pointer (VC 0).
      expect(sa.grantOut[0]).toBe(combined ? 1 : 2);
      expect(sa.grantVc[0]).toBe(combined ? 0 : 1);
    }
  });

  it('two VCs of one input on the same output: the VC pointer decides; pointers move past the grant', () => {
    const s = router();
    head(s, 0, 0, 3, 0);
    head(s, 0, 1, 3, 1);
    s.inPtr[0] = 1;
    const sa = new VcSwitchAllocator(s, false, false);
    expect(sa.allocate(0, P, 1, 0)).toBe(1);
    expect(sa.grantVc[0]).toBe(1);
    expect(s.inPtr[0]).toBe(0);
    expect(s.inOutPtr[0]).toBe(4);
    expect(s.outPtr[3]).toBe(1);
  });

  it('an output VC without a credit takes its VC out of the request: the other output is granted', () => {
    const s = router();
    head(s, 0, 0, 1, 0);
    head(s, 0, 1, 2, 0);
    s.inOutPtr[0] = 1;
    s.credits[1 * V + 0] = 0;
    const sa = new VcSwitchAllocator(s, false, false);
    expect(sa.allocate(0, P, 1, 0)).toBe(1);
    expect(sa.grantOut[0]).toBe(2);
    expect(sa.stalls).toBe(1);
  });
});

describe('separable input-first VC allocation pointer (BookSim: one arbiter per input VC over all output VCs)', () => {
  it('after a grant on one port, the next packet to another port starts at the first VC; to the same port past the grant', () => {
    const s = router();
    const va = new VcAllocator(s);
    head(s, 0, 0, 1, -1);
    expect(va.allocate(0, P, 1, 0, 1)).toBe(1);
    expect(s.outVc[0 * P + 1]).toBe(0);
    // Release: the next packet of input VC 0 goes to output 2, both of whose VCs are free.
    s.owner[1 * V + 0] = -1;
    s.outVc[0 * P + 1] = -1;
    head(s, 0, 0, 2, -1);
    expect(va.allocate(0, P, 1, 1, 1)).toBe(1);
    expect(s.outVc[0 * P + 2]).toBe(0);
    // And then to output 2 again: past the last grant, VC 1.
    s.owner[2 * V + 0] = -1;
    s.outVc[0 * P + 2] = -1;
    head(s, 0, 0, 2, -1);
    expect(va.allocate(0, P, 1, 2, 1)).toBe(1);
    expect(s.outVc[0 * P + 2]).toBe(1);
  });
});

describe('VC allocation output stage: input VCs ranked port-major (rank = port x V + VC)', () => {
  // Input VC (0, 1) has rank 0 x 2 + 1 = 1, input VC (1, 0) rank 1 x 2 + 0 = 2. Both ask for
  // output port 3 with a VC set of VC 0 only, so they contend for output VC (3, 0); it takes
  // the first rank at or after its pointer.
  for (const [ptr, winner, next] of [[0, 0 * V + 1, 2], [2, 1 * V + 0, 3]] as const) {
    it(`pointer at rank ${ptr}: input VC ${winner} (port ${winner >> 1}, VC ${winner & 1}) wins, the pointer moves to rank ${next}`, () => {
      const s = router();
      const va = new VcAllocator(s);
      head(s, 0, 1, 3, -1);
      head(s, 1, 0, 3, -1);
      s.hi[0 * V + 1] = 1;
      s.hi[1 * V + 0] = 1;
      s.ovPtr[3 * V + 0] = ptr;
      expect(va.allocate(0, P, 0b11, 0, 1)).toBe(1);
      expect(s.owner[3 * V + 0]).toBe(winner);
      expect(s.ovPtr[3 * V + 0]).toBe(next);
      const loser = winner === 1 ? 1 * V + 0 : 0 * V + 1;
      expect(s.missing[loser]).toBe(1 << 3);
      expect(s.missing[winner]).toBe(0);
    });
  }
});

describe('noc.vcAllocator default (auto)', () => {
  it('separable input-first with more than one VC, combined with one', () => {
    const base = { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 0 };
    expect(vcAllocatorOf({ ...base })).toBe('combined');
    expect(vcAllocatorOf({ ...base, vcs: 1, vcAllocator: 'auto' })).toBe('combined');
    expect(vcAllocatorOf({ ...base, vcs: 2 })).toBe('separable-input-first');
    expect(vcAllocatorOf({ ...base, vcs: 2, vcAllocator: 'combined' })).toBe('combined');
    // The VA stage is there by default with 2 VCs: its cycle shows in the zero-load latency.
    const lat = (noc: Partial<NocParams>): number => makeMesh(3, 3, { vcs: 2, vcAllocDelay: 1, ...noc }).mesh.zeroLoadLatency(2, 1);
    expect(lat({})).toBe(lat({ vcAllocator: 'separable-input-first' }));
    expect(lat({})).toBe(lat({ vcAllocator: 'combined' }) + 3);
  });

  it('every chip file in hw/chips keeps the single-cycle router (one VC, combined): their timing is unchanged', () => {
    const dir = path.resolve(__dirname, '../../../hw/chips');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const noc = loadChipFile(path.join(dir, f)).params.noc;
      expect([f, noc.vcAllocator, vcAllocatorOf(noc), needsVcRouter(noc)]).toEqual([f, 'auto', 'combined', false]);
    }
  });
});
