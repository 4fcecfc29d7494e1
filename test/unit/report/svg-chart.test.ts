import { barChart, escapeXml, lineChart, meshHeatMap } from '../../../src/report/svg-chart';

function numbers(attr: string, svg: string): number[] {
  return [...svg.matchAll(new RegExp(`${attr}="([-0-9.]+)"`, 'g'))].map((m) => Number(m[1]));
}

describe('SVG charts', () => {
  test('a line chart draws one polyline per series through every point, inside the canvas', () => {
    const svg = lineChart({
      title: 'acc <&> "x"',
      xLabel: 'epoch',
      yLabel: '%',
      series: [
        { name: 'train', points: [[1, 80], [2, 90], [3, 95]] },
        { name: 'test', points: [[1, 78], [2, 85], [3, 88]] },
      ],
      yMin: 75,
      yMax: 100,
    });
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]+)"/g)].map((m) => (m[1] as string).split(' ').map((p) => p.split(',').map(Number)));
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.length)).toEqual([3, 3]);
    for (const l of lines) {
      for (const [x, y] of l) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(560);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(320);
      }
      // x increases with the epoch; higher accuracy is drawn higher (smaller y).
      expect(l[1]![0]).toBeGreaterThan(l[0]![0]!);
    }
    expect(lines[0]![2]![1]).toBeLessThan(lines[1]![2]![1]!);
    expect(svg).toContain(escapeXml('acc <&> "x"'));
    expect(svg).not.toContain('<&>');
    // Whole-number x values get whole-number ticks.
    expect(svg).toMatch(/>2<\/text>/);
    expect(svg).not.toMatch(/>1\.5<\/text>/);
    expect(lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })).toContain('</svg>');
  });

  test('bar lengths are proportional to the values, the largest spanning the plot', () => {
    const svg = barChart({ title: 'energy', bars: [{ label: 'sram', value: 30 }, { label: 'logic', value: 10 }, { label: 'none', value: 0 }] });
    const widths = numbers('width', svg).slice(1); // the first is the canvas
    expect(widths).toEqual([280, 93.3, 0]);
  });

  test('a heat map has one square per tile, darkest at the maximum', () => {
    const cells = [
      { x: 0, y: 0, value: 1 },
      { x: 1, y: 0, value: 0.5 },
      { x: 0, y: 1, value: 0 },
      { x: 1, y: 1, value: 0.25 },
    ];
    const svg = meshHeatMap({ title: 'util', width: 2, height: 2, cells });
    const fills = [...svg.matchAll(/<rect[^>]*fill="rgb\((\d+),(\d+),(\d+)\)"/g)].map((m) => Number(m[1]));
    expect(fills).toEqual([31, 143, 255, 199]);
  });
});
