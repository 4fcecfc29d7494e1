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
      'pattern,mesh,rate,offered,accepted,latency_mean,latency_p50,latency_p90,latency_p99,latency_p999,latency_max,latency_ci95,zero_load,network_latency_mean,hops_mean,measured,delivered,saturated,saturated_latency,converged_periods,seeds,refused',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^uniform,3x3,0\.1,/);
    expect(lines[1]!.split(',')[17]).toBe('false');
    expect(lines[2]!.split(',')[17]).toBe('true');
    // 3x3 uniform: the busiest mesh link carries 2/3 per unit rate, so the injection channel (1) bounds it.
    expect(r.err).toMatch(/channel-load bound 1 flits\/node\/cycle \(uniform, XY\); saturated by latency \(3x zero-load\) from rate 0\.9 \(accepted before it: 0\.0\d+\); saturated by throughput from rate 0\.9/);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect(fs.readdirSync(dir)).toEqual(['curve.csv']);
  });

  it('writes latency histograms with --histogram and averages --seeds with a confidence interval', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-noc-'));
    const file = path.join(dir, 'h.csv');
    const r = await run(['noc', '--mesh', '3x3', '--rate', '0.2', '--seeds', '3', '--sample-period', '200', '--warmup', '100', '--measure', '1000', '--drain', '500', '--histogram', file, '--histogram-bin', '2']);
    expect(r.code).toBe(0);
    const row = r.out.trim().split('\n')[1]!.split(',');
    expect(Number(row[11])).toBeGreaterThan(0);
    expect(row[20]).toBe('3');
    const h = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(h[0]).toBe('rate,latency_from,latency_to,packets');
    const total = h.slice(1).reduce((n, l) => n + Number(l.split(',')[3]), 0);
    expect(total).toBe(Number(row[16]));
    for (const l of h.slice(1)) expect(Number(l.split(',')[2]) - Number(l.split(',')[1])).toBe(2);
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

  it('--set chip.* changes the router: 2 VCs and 3-flit packets (latency grows by the serialisation)', async () => {
    const base = ['noc', '--mesh', '4x4', '--rate', '0.02', '--warmup', '200', '--measure', '2000', '--drain', '2000'];
    const one = await run(base);
    const vc = await run([...base, '--set', 'chip.noc.vcs=2', '--set', 'chip.noc.flitWidth=8', '--packet-bits', '24']);
    expect(vc.code).toBe(0);
    const lat = (r: { out: string }): number => Number(r.out.split('\n')[1]!.split(',')[5]);
    expect(lat(vc) - lat(one)).toBeGreaterThan(1.5);
    expect(lat(vc) - lat(one)).toBeLessThan(3);
  });

  it('a hotspot set X,Y;X,Y shares the hotspot traffic: two hotspots accept twice what one does past its saturation', async () => {
    const common = ['noc', '--mesh', '4x4', '--pattern', 'hotspot', '--hotspot-fraction', '1', '--rate', '0.2', '--warmup', '300', '--measure', '1500', '--drain', '1500'];
    const accepted = (r: { out: string }): number => {
      const head = r.out.split('\n')[0]!.split(',');
      return Number(r.out.split('\n')[1]!.split(',')[head.indexOf('accepted')]);
    };
    const one = await run([...common, '--hotspot', '1,1']);
    const two = await run([...common, '--hotspot', '1,1;2,2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(accepted(two) / accepted(one)).toBeGreaterThan(1.8);
  });

  it('multicast pattern: tree packets deliver every message to k nodes with fewer link flits than unicast copies', async () => {
    const base = ['noc', '--mesh', '4x4', '--pattern', 'multicast', '--destinations', '5', '--rate', '0.02', '--warmup', '100', '--measure', '1000', '--drain', '2000'];
    const uni = await run(base);
    const tree = await run([...base, '--set', 'chip.noc.multicast=tree']);
    expect([uni.code, tree.code]).toEqual([0, 0]);
    const col = (r: { out: string }, i: number): number => Number(r.out.split('\n')[1]!.split(',')[i]);
    // Same messages (same seed and draws), all delivered in both modes.
    expect(col(tree, 15)).toBe(col(uni, 15));
    expect(col(tree, 16)).toBe(col(tree, 15));
    expect(col(uni, 16)).toBe(col(uni, 15));
    expect(tree.err).toMatch(/multicast saved \d+ link flits/);
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
    [['noc', '--set', 'chip.noc.vcs=0', '--rate', '0.1'], /^bitspike: \S+default\.json \(with --set chip\.noc\.vcs\): noc\.vcs: expected a value in \[1, 16\], got 0/],
    [['noc', '--set', 'chip.noc.flitWidth=2', '--rate', '0.1'], /noc\.flitWidth: a 2-bit flit cannot hold the 5-bit header/],
    [['noc', '--set', 'chip.noc.routing=adaptive', '--rate', '0.1'], /\(with --set chip\.noc\.routing\): noc\.routing: expected one of "xy", "yx"/],
    [['noc', '--set', 'run.epochs=2', '--rate', '0.1'], /--set run\.epochs: bitspike noc takes chip\.<path>=value overrides only/],
    [['noc', '--pattern', 'multicast', '--destinations', '16', '--mesh', '4x4', '--rate', '0.1'], /--pattern: multicast needs 1 <= destinations <= 15/],
    [['noc', '--pattern', 'hotspot', '--hotspot', '1,1;4,0', '--mesh', '4x4', '--rate', '0.1'], /--hotspot: \(4,0\) is outside the 4x4 mesh/],
    [['noc', '--pattern', 'hotspot', '--hotspot', '1,1;1,1', '--mesh', '4x4', '--rate', '0.1'], /--hotspot: \(1,1\) is listed twice/],
    [['noc', '--pattern', 'hotspot', '--hotspot', '1,1;', '--mesh', '4x4', '--rate', '0.1'], /--hotspot: expected X,Y or X,Y;X,Y;\.\.\./],
  ])('refuses bad input %j with exit code 2 and one line', async (args, msg) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
});
