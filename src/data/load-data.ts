/**
 * Turns a validated `data` section into coded train and test sets: limited subsets
 * stratified by class (subset.ts), grey levels coded into input bits (encode.ts).
 *
 * Caching: decoded grey-level images are kept in memory for the life of the process,
 * keyed by source (file path, size and modification time), and coded sets by
 * (source, coding, limits, seed); so a sweep or a test that loads the same data many
 * times decodes it once; a sweep hands its decoded sources and the coded sets its check
 * made to its worker threads in shared memory (sharedDecoded, primeDecoded; sharedCoded,
 * primeCoded), so no thread decodes or codes them again. There
 * is no on-disk cache: decoding the bundled package
 * takes about 0.2 s of CPU and IDX files are read at disk speed, which a cache file
 * (and its invalidation) would not improve enough to earn its place.
 */
import * as fs from 'fs';
import { UserError } from '../util/errors';
import type { DataConfig } from './data-params';
import { bitDataset, type BitDataset, type GreyImages } from './dataset';
import { encodeImages } from './encode';
import { distinctLabels, stratifiedSubset, type ClassCoverage } from './subset';
import { loadIdxPair } from './idx';
import { loadMnistPackage, mnistDigitsDir } from './mnist-package';

/** Coded train and test sets. */
export interface TrainTestData {
  train: BitDataset;
  test: BitDataset;
  /** Number of classes: 1 + the largest label in either set. */
  classes: number;
  /** Classes of each split: in the samples used and in the whole split. */
  coverage: { train: ClassCoverage; test: ClassCoverage };
  /** The grey-level images behind `train` and `test` (same samples, same order), for the float reference. */
  grey: { train: GreyImages; test: GreyImages };
}

const greyCache = new Map<string, { train: GreyImages; test: GreyImages }>();
const bitCache = new Map<string, TrainTestData>();

function fileKey(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${file}:${st.size}:${st.mtimeMs}`;
  } catch (e) {
    throw new UserError(`${file}: cannot read data file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function sourceKey(cfg: DataConfig): string {
  if (cfg.dataset === 'mnist') return `mnist:${mnistDigitsDir()}`;
  return ['idx', cfg.trainImages, cfg.trainLabels, cfg.testImages, cfg.testLabels].map((f, i) => (i === 0 ? f : fileKey(f))).join('|');
}

function loadGrey(cfg: DataConfig, key: string): { train: GreyImages; test: GreyImages } {
  const hit = greyCache.get(key);
  if (hit) return hit;
  let grey: { train: GreyImages; test: GreyImages };
  if (cfg.dataset === 'mnist') {
    grey = loadMnistPackage();
  } else {
    const train = loadIdxPair(cfg.trainImages, cfg.trainLabels);
    const test = loadIdxPair(cfg.testImages, cfg.testLabels);
    if (train.features !== test.features) {
      throw new UserError(
        `${cfg.testImages}: test images have ${test.features} pixels but training images (${cfg.trainImages}) have ${train.features}`,
      );
    }
    grey = { train, test };
  }
  greyCache.set(key, grey);
  return grey;
}

/** Decoded grey-level images of one source, in memory that worker threads share (see sharedDecoded). */
export interface SharedDecoded {
  key: string;
  train: GreyImages;
  test: GreyImages;
}

function toShared(g: GreyImages): GreyImages {
  if (g.pixels.buffer instanceof SharedArrayBuffer && g.labels.buffer instanceof SharedArrayBuffer) return g;
  const pixels = new Uint8Array(new SharedArrayBuffer(g.pixels.length));
  pixels.set(g.pixels);
  const labels = new Uint8Array(new SharedArrayBuffer(g.labels.length));
  labels.set(g.labels);
  return { ...g, pixels, labels };
}

/**
 * Every source this process has decoded, its images moved into shared memory (once: the
 * cache then holds the shared copy), so that a sweep's worker threads read them instead
 * of decoding the same files again (primeDecoded in each thread). Read-only by contract.
 */
export function sharedDecoded(): SharedDecoded[] {
  const out: SharedDecoded[] = [];
  for (const [key, grey] of greyCache) {
    const shared = { train: toShared(grey.train), test: toShared(grey.test) };
    greyCache.set(key, shared);
    out.push({ key, ...shared });
  }
  return out;
}

/** Take decoded sources from another thread (sharedDecoded) into this thread's cache; a source already decoded here is kept. */
export function primeDecoded(entries: readonly SharedDecoded[]): void {
  for (const e of entries) if (!greyCache.has(e.key)) greyCache.set(e.key, { train: e.train, test: e.test });
}

/** A coded train/test set in memory that worker threads share (see sharedCoded); the row views are made again in each thread. */
export interface SharedCoded {
  key: string;
  data: Omit<TrainTestData, 'train' | 'test'> & { train: Omit<BitDataset, 'rows'>; test: Omit<BitDataset, 'rows'> };
}

function sharedBytes<T extends Uint8Array | Uint32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = (a instanceof Uint32Array ? new Uint32Array(new SharedArrayBuffer(a.byteLength)) : new Uint8Array(new SharedArrayBuffer(a.byteLength))) as T;
  copy.set(a);
  return copy;
}

function sharedSet(d: BitDataset): BitDataset {
  if (d.bits.buffer instanceof SharedArrayBuffer && d.labels.buffer instanceof SharedArrayBuffer) return d;
  return bitDataset(d.name, d.features, sharedBytes(d.bits), sharedBytes(d.labels), d.frames);
}

function codedKey(cfg: DataConfig, seed: number | string): string {
  return `${sourceKey(cfg)}#${cfg.coding}#${cfg.threshold}#${cfg.codeBits}#${cfg.rateFrames}#${cfg.trainLimit}#${cfg.testLimit}#${seed}`;
}

/**
 * The coded sets of `wanted` (data section and seed) this process has made, moved into
 * shared memory (once: the cache then holds the shared copy), so that a sweep's worker
 * threads take them (primeCoded) instead of drawing and coding them again. Read-only by contract.
 */
export function sharedCoded(wanted: ReadonlyArray<{ data: DataConfig; seed: number | string }>): SharedCoded[] {
  const out: SharedCoded[] = [];
  for (const key of new Set(wanted.map((w) => codedKey(w.data, w.seed)))) {
    const hit = bitCache.get(key);
    if (hit === undefined) continue;
    const shared: TrainTestData = {
      ...hit,
      train: sharedSet(hit.train),
      test: sharedSet(hit.test),
      grey: { train: { ...hit.grey.train, pixels: sharedBytes(hit.grey.train.pixels), labels: sharedBytes(hit.grey.train.labels) }, test: { ...hit.grey.test, pixels: sharedBytes(hit.grey.test.pixels), labels: sharedBytes(hit.grey.test.labels) } },
    };
    bitCache.set(key, shared);
    const { rows: _tr, ...train } = shared.train;
    const { rows: _te, ...test } = shared.test;
    out.push({ key, data: { ...shared, train, test } });
  }
  return out;
}

/** Take coded sets from another thread (sharedCoded) into this thread's cache; a set already coded here is kept. */
export function primeCoded(entries: readonly SharedCoded[]): void {
  for (const { key, data } of entries) {
    if (bitCache.has(key)) continue;
    const set = (d: Omit<BitDataset, 'rows'>): BitDataset => bitDataset(d.name, d.features, d.bits, d.labels, d.frames);
    bitCache.set(key, { ...data, train: set(data.train), test: set(data.test) });
  }
}

function maxLabel(labels: Uint8Array): number {
  let m = -1;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) > m) m = labels[i] as number;
  return m;
}

/** Load, split, limit (stratified, drawn with `seed`) and code the data a `data` section describes. */
export function loadData(cfg: DataConfig, seed: number | string): TrainTestData {
  const src = sourceKey(cfg);
  const key = codedKey(cfg, seed);
  const hit = bitCache.get(key);
  if (hit) return hit;
  const all = loadGrey(cfg, src);
  if (all.train.count === 0) throw new UserError(`${all.train.source}: the training set is empty`);
  if (all.test.count === 0) throw new UserError(`${all.test.source}: the test set is empty`);
  const label = cfg.dataset === 'mnist' ? 'mnist' : 'idx';
  const grey = { train: stratifiedSubset(all.train, cfg.trainLimit, seed, 'train'), test: stratifiedSubset(all.test, cfg.testLimit, seed, 'test') };
  const train = encodeImages(grey.train, cfg, seed, 'train', `${label} train`);
  const test = encodeImages(grey.test, cfg, seed, 'test', `${label} test`);
  const coverage = {
    train: { used: distinctLabels(train.labels), available: distinctLabels(all.train.labels) },
    test: { used: distinctLabels(test.labels), available: distinctLabels(all.test.labels) },
  };
  const data = { train, test, classes: Math.max(maxLabel(train.labels), maxLabel(test.labels)) + 1, coverage, grey };
  bitCache.set(key, data);
  return data;
}
