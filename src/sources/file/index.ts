// The file input's public surface, for the CLI and the pipeline.

export { FileInput } from './file-input.js';
export { fileInputOptions, type FileInputOptions } from './options.js';
export { formatProgress, startProgress, type Progress } from './progress.js';
export type { FileChunk, FileInputStats, FileStats, RawLine } from './types.js';
