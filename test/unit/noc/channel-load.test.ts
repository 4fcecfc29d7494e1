import { channelLoadBound } from '../../../src/noc/channel-load';
import type { PatternSpec } from '../../../src/noc/patterns';

const spec = (pattern: PatternSpec['pattern'], k: number, extra: Partial<PatternSpec> = {}): PatternSpec => ({ pattern, width: k, height: k, hotspot: 0, hotspotFraction: 0, ...extra });

describe('channel-load bound', () => {
  it.each([4, 6, 8])('uniform on a k x k mesh, k = %i: the bisection bound 4/k', (k) => {
    expect(channelLoadBound(spec('uniform', k)).bound).toBeCloseTo(4 / k, 12);
  });
  it('transpose and bit-complement load XY links more than uniform', () => {
    // Transpose: row y's link from column y-2 to y-1... into column y carries the y flows of sources left of it.
    expect(channelLoadBound(spec('transpose', 4)).gammaMax).toBe(3);
    expect(channelLoadBound(spec('transpose', 8)).gammaMax).toBe(7);
    // Bit-complement: the k/2 sources of a row left of the middle all cross its middle link.
    expect(channelLoadBound(spec('bitcomplement', 8)).gammaMax).toBe(4);
    expect(channelLoadBound(spec('uniform', 8)).bound).toBeGreaterThan(channelLoadBound(spec('transpose', 8)).bound);
  });
  it('hotspot: all traffic to one node is bound by its ejection channel, 1/N', () => {
    expect(channelLoadBound(spec('hotspot', 4, { hotspot: 5, hotspotFraction: 1 })).bound).toBeCloseTo(1 / 16, 12);
  });
});
