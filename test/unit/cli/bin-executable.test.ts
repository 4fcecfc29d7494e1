import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');

describe('the bitspike bin', () => {
  test('the build marks every package.json bin target executable (npx runs it directly)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-bin-'));
    try {
      fs.mkdirSync(path.join(tmp, 'scripts'));
      fs.mkdirSync(path.join(tmp, 'out'));
      fs.copyFileSync(path.join(root, 'scripts/mark-bin-executable.js'), path.join(tmp, 'scripts/mark-bin-executable.js'));
      fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'x', bin: { x: 'out/main.js' } }));
      fs.writeFileSync(path.join(tmp, 'out/main.js'), '#!/usr/bin/env node\n', { mode: 0o644 });
      execFileSync(process.execPath, [path.join(tmp, 'scripts/mark-bin-executable.js')]);
      expect(fs.statSync(path.join(tmp, 'out/main.js')).mode & 0o111).toBe(0o111);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('package.json build script runs the step', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build']).toContain('scripts/mark-bin-executable.js');
  });
});
