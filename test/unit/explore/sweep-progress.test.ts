import { SweepProgress, formatDuration, progressText } from '../../../src/explore/sweep-progress';

describe('sweep progress line', () => {
  test('done / running / failed of the total, and no ETA before a point has finished', () => {
    expect(progressText({ total: 8, done: 0, running: 2, failed: 0 }, 0, 5, 2)).toBe('sweep: 0/8 done, 2 running, 0 failed');
  });

  test('ETA = (elapsed / finished) * remaining / points at once', () => {
    // 2 finished in 60 s: 30 s a point; 6 remaining, 2 at once: 30 * 6 / 2 = 90 s.
    expect(progressText({ total: 8, done: 1, running: 2, failed: 1 }, 2, 60, 2)).toBe('sweep: 1/8 done, 2 running, 1 failed eta 1m30s');
    // Fewer remaining than workers: they run at once.
    expect(progressText({ total: 4, done: 3, running: 1, failed: 0 }, 3, 30, 4)).toBe('sweep: 3/4 done, 1 running, 0 failed eta 10s');
    expect(progressText({ total: 4, done: 4, running: 0, failed: 0 }, 4, 30, 4)).toBe('sweep: 4/4 done, 0 running, 0 failed');
  });

  test('durations', () => {
    expect([formatDuration(42.4), formatDuration(185), formatDuration(3720)]).toEqual(['42s', '3m05s', '1h02m']);
  });

  test('draws in place on a terminal only, and clears its line', () => {
    const counts = { total: 3, done: 1, running: 1, failed: 0 };
    let tty = '';
    const bar = new SweepProgress(counts, 2, { write: (s: string) => ((tty += s), true), isTTY: true });
    bar.draw();
    bar.close();
    expect(tty).toBe('\rsweep: 1/3 done, 1 running, 0 failed\x1b[K\r\x1b[K');
    let pipe = '';
    const quiet = new SweepProgress(counts, 2, { write: (s: string) => ((pipe += s), true), isTTY: false });
    quiet.draw();
    quiet.close();
    expect(pipe).toBe('');
  });
});
