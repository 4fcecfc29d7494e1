import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { jsonErrorOffset, parseJsonText } from '../../../src/config/json-file';
import { loadExperiment } from '../../../src/config/experiment';
import { UserError } from '../../../src/util/errors';
import { tempDir } from '../train/tiny-config';

const dir = tempDir('robust');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('robustness of config input', () => {
  test('the JSON error scanner agrees with JSON.parse on mutated JSON text', () => {
    const mutated = fc
      .tuple(fc.jsonValue(), fc.nat(), fc.constantFrom('', '}', ']', ',', ':', '"', '\n', 'x', '0', '{', '[', '-', '.', 'e'), fc.nat({ max: 3 }))
      .map(([v, at, insert, del]) => {
        const t = JSON.stringify(v, null, 1);
        const i = at % (t.length + 1);
        return t.slice(0, i) + insert + t.slice(i + del);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        return (jsonErrorOffset(text) === -1) === parses;
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  test('broken JSON text is always a one-line UserError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseJsonText(text, 'f.json');
          return true;
        } catch (e) {
          return e instanceof UserError && !e.message.includes('\n') && e.message.startsWith('f.json: invalid JSON');
        }
      }),
      { numRuns: 500, seed: 4 },
    );
  });

  test('any JSON value at any config path loads or is a UserError naming the file', () => {
    const paths = ['', 'seed', 'chip', 'network', 'network.hidden', 'network.inputs', 'dynamics', 'dynamics.kFwd', 'learning.beta', 'learning.theta', 'data', 'data.threshold', 'data.dataset', 'run', 'run.epochs', 'float.lr', 'mapping.placement', 'trace.vcd.signals', 'trace'];
    const file = path.join(dir, 'c.json');
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (p, v) => {
        let config: unknown = {};
        if (p === '') config = v;
        else {
          const keys = p.split('.');
          const root: Record<string, unknown> = {};
          let node = root;
          for (const k of keys.slice(0, -1)) node = (node[k] = {}) as Record<string, unknown>;
          node[keys[keys.length - 1] as string] = v;
          config = root;
        }
        fs.writeFileSync(file, JSON.stringify(config));
        try {
          loadExperiment(file);
          return true;
        } catch (e) {
          return e instanceof UserError && e.message.startsWith(file) && !e.message.includes('\n');
        }
      }),
      { numRuns: 400, seed: 5 },
    );
  });
});
