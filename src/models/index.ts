export { buildFc } from './fc.js';
export { buildCnn } from './cnn.js';
export { MODEL_NAMES, buildModel, type ModelName } from './registry.js';
