import { makeMesh } from './helpers';
import type { MeshObserver } from '../../../src/chip/noc/mesh';

describe('mesh observer (the co-simulation hook)', () => {
  it('reports every arrival, grant and credit of the depth-1 burst, and the getters show buffers and credits', () => {
    const { kernel, mesh } = makeMesh(3, 1, { bufferDepth: 1 });
    const log: string[] = [];
    const obs: MeshObserver = {
      arrive: (r, p, f, c) => log.push(`${c} arrive r${r}.${p} #${mesh.flitTag(f)} occ=${mesh.inputOccupancy(r, p)}`),
      grant: (r, i, o, f, c) => log.push(`${c} grant r${r} ${i}->${o} #${mesh.flitTag(f)}`),
      credit: (r, p, c) => log.push(`${c} credit r${r}.${p} =${mesh.senderCredits(r, p)}`),
    };
    mesh.attachObserver(obs);
    let sent = 0;
    const h = kernel.register(() => {
      if (sent < 2 && mesh.canInject(0)) {
        mesh.inject(0, 2, 0, 1, sent);
        sent++;
      }
      if (sent < 2) kernel.after(1, 3, h, 0, 0);
    });
    kernel.at(0, 3, h, 0, 0);
    kernel.run();
    // Timing of docs/timing-model.md (all delays 1): the second flit waits for the Local credit (back at 2).
    expect(log.slice(0, 6)).toEqual([
      '1 arrive r0.4 #0 occ=1',
      '1 grant r0 4->1 #0',
      '2 credit r0.4 =1',
      '3 arrive r1.3 #0 occ=1',
      '3 arrive r0.4 #1 occ=1',
      '3 grant r1 3->1 #0',
    ]);
    expect(log.filter((l) => l.includes('grant')).length).toBe(6);
    expect(mesh.portsOf(0)).toBe(6);
    expect(mesh.senderCredits(0, 3)).toBe(-1);
    expect(mesh.senderCredits(0, 1)).toBe(1);
    expect(mesh.inputOccupancy(2, 3)).toBe(0);
  });
});
