/**
 * Format versions of the binary files a run folder holds. A reader refuses any other
 * version with a one-line error, so a change of layout must bump its number here
 * (and say in the codec's header what changed), never reuse one.
 */

/**
 * Version of the weights file layout (src/store/weights-file.ts). 2: states, learning
 * registers and biases packed at their declared widths; version 1 files still load.
 */
export const WEIGHTS_FILE_VERSION = 2;

/** Version of the checkpoint layout (src/store/checkpoint.ts). 2: learningStats in the header; version 1 files still load. */
export const CHECKPOINT_VERSION = 2;
