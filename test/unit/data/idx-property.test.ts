import fc from 'fast-check';
import * as zlib from 'zlib';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from '../../../src/data/idx';
import { UserError } from '../../../src/util/errors';

const imageFile = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([n, r, c]) => fc.tuple(fc.constant([n, r, c]), fc.uint8Array({ minLength: n * r * c, maxLength: n * r * c })));

describe('IDX reader properties', () => {
  test('encode then parse gives back the dimensions and the bytes, plain or gzip', () => {
    fc.assert(
      fc.property(imageFile, fc.boolean(), ([dims, data], gz) => {
        const bytes = encodeIdx(IDX_IMAGES_MAGIC, dims, data);
        const got = parseIdx(gz ? zlib.gzipSync(bytes) : bytes, 'f', IDX_IMAGES_MAGIC);
        expect(got.dims).toEqual(dims);
        expect(Array.from(got.data)).toEqual(Array.from(data));
      }),
      { numRuns: 100, seed: 8 },
    );
  });

  test('every truncation, extension or byte flip is a UserError or a consistent parse, never another exception', () => {
    fc.assert(
      fc.property(imageFile, fc.nat(), fc.integer({ min: -8, max: 8 }), fc.boolean(), ([dims, data], at, delta, asLabels) => {
        const bytes = encodeIdx(IDX_IMAGES_MAGIC, dims, data);
        const i = at % bytes.length;
        let mutated: Uint8Array;
        if (delta < 0) mutated = bytes.subarray(0, Math.max(0, bytes.length + delta));
        else if (delta > 0) mutated = Uint8Array.from([...bytes, ...new Array(delta).fill(7)]);
        else {
          mutated = bytes.slice();
          mutated[i] = (mutated[i] as number) ^ 0x5a;
        }
        try {
          const got = parseIdx(mutated, 'f', asLabels ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC);
          const elements = got.dims.reduce((a, b) => a * b, 1);
          return got.data.length === elements;
        } catch (e) {
          return e instanceof UserError && e.message.startsWith('f: ');
        }
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});
