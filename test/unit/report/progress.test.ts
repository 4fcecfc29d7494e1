import { ProgressBar } from '../../../src/report/progress';

function sink(isTTY: boolean): { text: string; write(s: string): boolean; isTTY: boolean } {
  const s = { text: '', isTTY, write: (t: string) => ((s.text += t), true) };
  return s;
}

describe('progress bar', () => {
  test('draws nothing when the stream is not a terminal (auto)', () => {
    const s = sink(false);
    const bar = new ProgressBar({ stream: s });
    bar.start('epoch 1 train', 10);
    bar.update(10, '');
    bar.clear();
    expect(bar.active).toBe(false);
    expect(s.text).toBe('');
  });

  test('draws on a terminal, throttled, always drawing completion, and clears its line', () => {
    const s = sink(true);
    const bar = new ProgressBar({ stream: s, intervalMs: 60_000, width: 10 });
    bar.start('work', 4);
    const afterStart = s.text;
    expect(afterStart).toContain('work [..........] 0/4 0%');
    bar.update(1, '');
    expect(s.text).toBe(afterStart); // throttled
    let built = 0;
    bar.update(2, () => `never drawn ${++built}`);
    expect(built).toBe(0); // throttled: the text is not even built
    bar.update(4, () => 'acc 50%');
    expect(s.text).toContain('work [##########] 4/4 100%');
    expect(s.text).toContain('acc 50%');
    bar.clear();
    expect(s.text.endsWith('\r\x1b[K')).toBe(true);
  });

  test('"always" forces drawing, "never" disables it', () => {
    const a = sink(false);
    new ProgressBar({ stream: a, when: 'always' }).start('x', 1);
    expect(a.text).toContain('x [');
    const n = sink(true);
    new ProgressBar({ stream: n, when: 'never' }).start('x', 1);
    expect(n.text).toBe('');
  });
});
