/**
 * Format versions of the binary files a run folder holds. A reader refuses any other
 * version with a one-line error, so a change of layout must bump its number here
 * (and say in the codec's header what changed), never reuse one.
 */

/** Version of the weights file layout (src/store/weights-file.ts). */
export const WEIGHTS_FILE_VERSION = 1;

/** Version of the checkpoint layout (src/store/checkpoint.ts). */
export const CHECKPOINT_VERSION = 1;
