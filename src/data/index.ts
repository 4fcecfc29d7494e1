/** Datasets: the bundled mnist package, IDX files, binarisation into packed rows. */
export { binarise, greyCutoff } from './binarise';
export { DATA_PARAMS, type DataConfig } from './data-params';
export { bitDataset, firstImages, type BitDataset, type GreyImages } from './dataset';
export { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdxPair, parseIdx, readIdxFile } from './idx';
export { loadData, type TrainTestData } from './load-data';
export { loadMnistPackage, MNIST_CLASSES, MNIST_FEATURES } from './mnist-package';
