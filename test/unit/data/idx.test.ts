import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdxPair, parseIdx } from '../../../src/data/idx';
import { loadData } from '../../../src/data/load-data';
import { userErrorMessage } from '../user-error';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-idx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

/** n images of 3 x 5 pixels whose grey levels encode (image, pixel). */
function images(n: number): Uint8Array {
  const px = new Uint8Array(n * 15);
  for (let s = 0; s < n; s++) for (let i = 0; i < 15; i++) px[s * 15 + i] = (s * 37 + i * 17) & 255;
  return encodeIdx(IDX_IMAGES_MAGIC, [n, 3, 5], px);
}
function labels(n: number): Uint8Array {
  const l = new Uint8Array(n);
  for (let s = 0; s < n; s++) l[s] = s % 4;
  return encodeIdx(IDX_LABELS_MAGIC, [n], l);
}

describe('IDX reader', () => {
  test('reads plain and gzip files to the same images', () => {
    const img = write('a-images', images(6));
    const lab = write('a-labels', labels(6));
    const imgGz = write('a-images.gz', zlib.gzipSync(images(6)));
    const plain = loadIdxPair(img, lab);
    const gz = loadIdxPair(imgGz, lab);
    expect(plain.count).toBe(6);
    expect(plain.features).toBe(15);
    expect(plain.pixels[2 * 15 + 4]).toBe((2 * 37 + 4 * 17) & 255);
    expect(Array.from(plain.labels)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(Array.from(gz.pixels)).toEqual(Array.from(plain.pixels));
  });

  test('wrong magic number names the file', () => {
    const lab = write('m-labels', labels(3));
    expect(userErrorMessage(() => parseIdx(labels(3), lab, IDX_IMAGES_MAGIC))).toMatch(
      new RegExp(`^${lab}: wrong magic number 0x00000801 for an IDX image file \\(expected 0x00000803\\)$`),
    );
  });

  test('IDX files of other element types are named as such', () => {
    const floats = encodeIdx(0x00000d03, [1, 2, 2], new Uint8Array(16));
    expect(userErrorMessage(() => parseIdx(floats, 'f.idx', IDX_IMAGES_MAGIC))).toBe('f.idx: IDX element type 0x0d (float) is not supported: images must be unsigned bytes (0x08)');
  });

  test('truncated data, truncated header, trailing bytes and bad gzip are refused', () => {
    const full = images(4);
    expect(userErrorMessage(() => parseIdx(full.subarray(0, full.length - 1), 'f.idx', IDX_IMAGES_MAGIC))).toMatch(/^f\.idx: truncated IDX file/);
    expect(userErrorMessage(() => parseIdx(full.subarray(0, 9), 'f.idx', IDX_IMAGES_MAGIC))).toMatch(/^f\.idx: truncated IDX header/);
    expect(userErrorMessage(() => parseIdx(full.subarray(0, 2), 'f.idx', IDX_IMAGES_MAGIC))).toMatch(/^f\.idx: truncated IDX file \(2 bytes/);
    const longer = new Uint8Array(full.length + 3);
    longer.set(full);
    expect(userErrorMessage(() => parseIdx(longer, 'f.idx', IDX_IMAGES_MAGIC))).toMatch(/^f\.idx: corrupt IDX file: 3 bytes after/);
    const gz = zlib.gzipSync(full);
    expect(userErrorMessage(() => parseIdx(gz.subarray(0, gz.length - 10), 'g.gz', IDX_IMAGES_MAGIC))).toMatch(/^g\.gz: corrupt gzip stream/);
  });

  test('image/label count mismatch names the label file', () => {
    const img = write('c-images', images(5));
    const lab = write('c-labels', labels(4));
    expect(userErrorMessage(() => loadIdxPair(img, lab))).toBe(`${lab}: 4 labels but ${img} holds 5 images`);
  });

  test('missing file is a UserError naming it', () => {
    const missing = path.join(dir, 'nope');
    expect(userErrorMessage(() => loadIdxPair(missing, missing))).toMatch(new RegExp(`^${missing}: cannot read`));
  });

  test('loadData reads an idx dataset, binarises and counts classes', () => {
    const cfg = {
      dataset: 'idx' as const,
      trainImages: write('t-images.gz', zlib.gzipSync(images(8))),
      trainLabels: write('t-labels', labels(8)),
      testImages: write('e-images', images(3)),
      testLabels: write('e-labels', labels(3)),
      threshold: 0.5,
      coding: 'threshold' as const,
      codeBits: 2,
      rateFrames: 10,
      shift: 0,
      shiftShare: 1,
      trainLimit: 0,
      testLimit: 2,
    };
    const d = loadData(cfg, 1);
    expect(d.train.count).toBe(8);
    expect(d.test.count).toBe(2);
    expect(d.train.features).toBe(15);
    expect(d.classes).toBe(4);
    const g = (1 * 37 + 3 * 17) & 255;
    expect(((d.train.rows[1] as Uint32Array)[0] as number >>> 3) & 1).toBe(g >= 128 ? 1 : 0);
  });

  test('train and test images of different sizes are refused', () => {
    const px = new Uint8Array(2 * 16);
    const cfg = {
      dataset: 'idx' as const,
      trainImages: write('s-images', images(2)),
      trainLabels: write('s-labels', labels(2)),
      testImages: write('s2-images', encodeIdx(IDX_IMAGES_MAGIC, [2, 4, 4], px)),
      testLabels: write('s2-labels', labels(2)),
      threshold: 0.5,
      coding: 'threshold' as const,
      codeBits: 2,
      rateFrames: 10,
      shift: 0,
      shiftShare: 1,
      trainLimit: 0,
      testLimit: 0,
    };
    expect(userErrorMessage(() => loadData(cfg, 1))).toMatch(/test images have 16 pixels but training images .* have 15/);
  });
});
