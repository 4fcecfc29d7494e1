/** Datasets: the bundled mnist package, IDX files, stratified subsets, input codings into packed rows. */
export { binarise, greyCutoff } from './binarise';
export { DATA_PARAMS, type DataConfig } from './data-params';
export { bitDataset, type BitDataset, type GreyImages } from './dataset';
export { codedFrames, codedWidth, codingText, encodeImages, greyRows } from './encode';
export { distinctLabels, stratifiedCounts, stratifiedSubset, type ClassCoverage } from './subset';
export { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdxPair, parseIdx, readIdxFile } from './idx';
export { loadData, type TrainTestData } from './load-data';
export { loadMnistPackage, MNIST_CLASSES, MNIST_FEATURES } from './mnist-package';
