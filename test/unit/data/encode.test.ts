import { encodeImages, codedWidth } from '../../../src/data/encode';
import type { DataConfig } from '../../../src/data/data-params';
import { DATA_PARAMS } from '../../../src/data/data-params';
import { defaultOf } from '../../../src/config/param';
import type { GreyImages } from '../../../src/data/dataset';

const base = defaultOf(DATA_PARAMS) as DataConfig;
const bit = (row: Uint32Array, i: number): number => ((row[i >>> 5] as number) >>> (i & 31)) & 1;

/** Two images of every grey level 0..255 (image 1 reversed). */
function ramp(): GreyImages {
  const pixels = new Uint8Array(2 * 256);
  for (let g = 0; g < 256; g++) {
    pixels[g] = g;
    pixels[256 + g] = 255 - g;
  }
  return { source: 'ramp', count: 2, features: 256, pixels, labels: Uint8Array.from([0, 1]) };
}

describe('input codings (data.coding)', () => {
  const img = ramp();
  test('thermometer: K bits per pixel, bit k on when g/255 >= (k+1)/(K+1), plane-major', () => {
    for (const K of [1, 3, 4]) {
      const d = encodeImages(img, { ...base, coding: 'thermometer', codeBits: K }, 1, 'train', 't');
      expect(d.features).toBe(256 * K);
      expect(codedWidth({ coding: 'thermometer', codeBits: K }, 256)).toBe(256 * K);
      expect(d.frames).toBe(1);
      for (let s = 0; s < 2; s++) {
        for (let p = 0; p < 256; p++) {
          const g = img.pixels[s * 256 + p] as number;
          let ones = 0;
          for (let k = 0; k < K; k++) {
            const b = bit(d.rows[s] as Uint32Array, k * 256 + p);
            expect(b).toBe(g / 255 >= (k + 1) / (K + 1) ? 1 : 0);
            ones += b;
          }
          // A thermometer code: the number of bits on grows with g.
          expect(ones).toBe(Math.min(K, Math.floor((g * (K + 1)) / 255 + 1e-9)));
        }
      }
    }
  });

  test('thermometer with 1 bit and bitplane with 1 plane equal the 0.5 threshold', () => {
    const th = encodeImages(img, { ...base, coding: 'threshold', threshold: 0.5 }, 1, 'train', 't');
    for (const coding of ['thermometer', 'bitplane'] as const) {
      const d = encodeImages(img, { ...base, coding, codeBits: 1 }, 1, 'train', 't');
      expect(Array.from(d.bits)).toEqual(Array.from(th.bits));
    }
  });

  test('bitplane: plane k is bit 7-k of the grey level', () => {
    const d = encodeImages(img, { ...base, coding: 'bitplane', codeBits: 8 }, 1, 'train', 't');
    expect(d.features).toBe(2048);
    for (let s = 0; s < 2; s++) {
      for (let p = 0; p < 256; p++) {
        const g = img.pixels[s * 256 + p] as number;
        let back = 0;
        for (let k = 0; k < 8; k++) back |= bit(d.rows[s] as Uint32Array, k * 256 + p) << (7 - k);
        expect(back).toBe(g);
      }
    }
  });

  test('rate: F frames per sample, each pixel on in a fraction of frames close to g/255, seeded', () => {
    const F = 200;
    const many: GreyImages = { ...img, count: 1, pixels: img.pixels.subarray(0, 256), labels: Uint8Array.from([0]) };
    const d = encodeImages(many, { ...base, coding: 'rate', rateFrames: F }, 5, 'train', 'r');
    expect(d.features).toBe(256);
    expect(d.frames).toBe(F);
    expect((d.rows[0] as Uint32Array).length).toBe(F * 8);
    for (let p = 0; p < 256; p++) {
      let on = 0;
      for (let f = 0; f < F; f++) on += bit((d.rows[0] as Uint32Array).subarray(f * 8, f * 8 + 8), p);
      if (p === 0) expect(on).toBe(0);
      else if (p === 255) expect(on).toBe(F);
      // Binomial(F, g/255): within 5 standard deviations.
      else expect(Math.abs(on - (F * p) / 255)).toBeLessThan(5 * Math.sqrt((F * p * (255 - p)) / 255 / 255) + 1);
    }
    const same = encodeImages(many, { ...base, coding: 'rate', rateFrames: F }, 5, 'train', 'r');
    expect(Array.from(same.bits)).toEqual(Array.from(d.bits));
    const other = encodeImages(many, { ...base, coding: 'rate', rateFrames: F }, 6, 'train', 'r');
    expect(Array.from(other.bits)).not.toEqual(Array.from(d.bits));
  });
});

describe('a coding whose extra axons do not fit the chip', () => {
  test('is a one-line error saying by how much, with the coding that made the axons', () => {
    // Imported here: the config layer is not needed by the pure coding tests above. Two bits per
    // pixel fit the default chip when the layers are spread over every tile (counter SRAM).
    const { loadExperiment } = require('../../../src/config/experiment') as typeof import('../../../src/config/experiment');
    const { createEngine } = require('../../../src/train/engine-factory') as typeof import('../../../src/train/engine-factory');
    const { userErrorMessage } = require('../user-error') as typeof import('../user-error');
    const fits = loadExperiment(undefined, ['data.coding=thermometer', 'data.codeBits=2', 'network.inputs=1568', 'run.mode=cycle', 'mapping.placement=spread']);
    expect(() => createEngine(fits.config, fits.label)).not.toThrow();
    // Three bits per pixel (2352 axons > 2048) fit by splitting the first layer's fan-in over two cores.
    const split = loadExperiment(undefined, ['data.coding=thermometer', 'data.codeBits=3', 'network.inputs=2352', 'run.mode=cycle']);
    expect(() => createEngine(split.config, split.label)).not.toThrow();
    // Eight bits per pixel do not: the counter SRAM of a core runs out, whatever the split.
    const exp = loadExperiment(undefined, ['data.coding=thermometer', 'data.codeBits=8', 'network.inputs=6272', 'run.mode=cycle']);
    expect(userErrorMessage(() => createEngine(exp.config, exp.label))).toMatch(
      /default\.json: core\.sram\.counterCapacityBits: .* but a core has 2097152: 360448 too many \(data\.coding "thermometer" with data\.codeBits = 8 makes 6272 input axons, 8x the pixels\)$/,
    );
  });
});

describe('the CLI refuses a coding that does not fit', () => {
  test('budget and validate: exit 2, one line naming the chip file, by how much and why', async () => {
    const { captureCli } = require('../cli-capture') as typeof import('../cli-capture');
    const sets = ['--set', 'data.coding=thermometer', '--set', 'data.codeBits=8', '--set', 'network.inputs=6272', '--set', 'run.mode=cycle'];
    for (const cmd of ['budget', 'validate']) {
      const r = await captureCli([cmd, ...sets]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/default\.json: core\.sram\.counterCapacityBits: .*: 360448 too many \(data\.coding "thermometer" with data\.codeBits = 8 makes 6272 input axons, 8x the pixels\)/);
    }
  });
});
