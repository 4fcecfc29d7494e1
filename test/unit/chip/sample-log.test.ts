import { SampleLog } from '../../../src/chip/sample-log';

describe('sample log', () => {
  test('nearest-rank percentiles per kind of sample, and the CSV', () => {
    const log = new SampleLog();
    for (let i = 1; i <= 300; i++) log.add(i % 2 === 0, { free: i, nudged: 0, learning: 0, total: i + 1 });
    // inference samples: free = 1, 3, ..., 299 (150 values)
    expect(log.distribution(false, 1)).toEqual({ p50: 149, p95: 285, max: 299 });
    expect(log.distribution(true, 4)).toEqual({ p50: 151, p95: 287, max: 301 });
    expect(new SampleLog().distribution(true, 1)).toEqual({ p50: 0, p95: 0, max: 0 });
    const csv = log.toCsv().trim().split('\n');
    expect(csv).toHaveLength(301);
    expect(csv[0]).toBe('sample,kind,freeCycles,nudgedCycles,learningCycles,totalCycles');
    expect(csv[2]).toBe('1,train,2,0,0,3');
  });
});
