import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { captureCli } from '../cli-capture';

// Only process.stdout/stderr: the noc command's error cases expect exactly its own one-line message.
const run = (args: string[]): ReturnType<typeof captureCli> => captureCli(args, { console: false });

describe('bitspike noc', () => {
  it('runs a sweep, prints the CSV curve and writes it atomically with --out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-noc-'));
    const file = path.join(dir, 'curve.csv');
    const r = await run(['noc', '--mesh', '3x3', '--sweep', '0.1,0.9', '--warmup', '100', '--measure', '500', '--drain', '500', '--out', file]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      'pattern,mesh,rate,offered,accepted,latency_mean,latency_p50,latency_p90,latency_p99,network_latency_mean,hops_mean,measured,delivered,saturated',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^uniform,3x3,0\.1,/);
    expect(lines[1]!.endsWith(',false')).toBe(true);
    expect(lines[2]!.endsWith(',true')).toBe(true);
    expect(r.err).toMatch(/peak accepted throughput .* bisection bound 4\/k = 1\.3333/);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect(fs.readdirSync(dir)).toEqual(['curve.csv']);
  });

  it('writes a packet CSV and a VCD of a single-rate run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-noc-'));
    const csv = path.join(dir, 'p.csv');
    const vcd = path.join(dir, 'w.vcd');
    const r = await run(['noc', '--mesh', '2x2', '--rate', '0.2', '--warmup', '0', '--measure', '200', '--drain', '100', '--packet-csv', csv, '--vcd', vcd]);
    expect(r.code).toBe(0);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('packet,src,dst,hops,inject_cycle,eject_cycle,latency,blocked');
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows.slice(1)) {
      const [, , , hops, , , latency, blocked] = row.split(',').map(Number);
      expect(latency).toBe(hops! * 2 + 1 + blocked!);
    }
    const text = fs.readFileSync(vcd, 'utf8');
    expect(text).toMatch(/\$var wire 1 \S+ link_E \$end/);
    expect(text).toMatch(/\$enddefinitions \$end/);
    expect(r.out.trim().split('\n')).toHaveLength(2);
  });

  it('takes the mesh and router parameters from --chip unless flags override them', async () => {
    const r = await run(['noc', '--chip', 'tiny', '--rate', '0.05', '--warmup', '0', '--measure', '300', '--drain', '300']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]).toMatch(/^uniform,3x3,0\.05,/);
    const r2 = await run(['noc', '--chip', 'tiny', '--mesh', '2x5', '--rate', '0.05', '--warmup', '0', '--measure', '300', '--drain', '300']);
    expect(r2.out.split('\n')[1]).toMatch(/^uniform,2x5,0\.05,/);
  });

  it.each([
    [['noc', '--sweep', '0.1,0.2', '--packet-csv', 'x.csv'], /--packet-csv: traces need a single --rate/],
    [['noc', '--mesh', '4by4', '--rate', '0.1'], /^bitspike: command line: --mesh: expected WxH/],
    [['noc', '--mesh', '4x3', '--pattern', 'transpose', '--rate', '0.1'], /--pattern: transpose needs a square mesh/],
    [['noc', '--rate', '1.5'], /--rate: expected a rate in \[0, 1\]/],
    [['noc', '--pattern', 'tornado', '--rate', '0.1'], /--pattern: expected one of uniform, transpose/],
    [['noc', '--router-delay', '0', '--rate', '0.1'], /--router-delay: expected a value in \[1, 1024\], got 0/],
    [['noc', '--sweep-from', '0.1', '--rate', '0.1'], /needs all of --sweep-from/],
    [['noc'], /--rate: give --rate R/],
  ])('refuses bad input %j with exit code 2 and one line', async (args, msg) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
});
