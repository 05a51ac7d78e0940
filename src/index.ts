// The package's public entry: the training backend for any tfjs program, and optimizers fused on it.
export { type TrainingBackend, type TrainingBackendOptions, useTrainingBackend } from './library/use_training_backend.js';
export { adam } from './train/adam.js';
export { momentum } from './train/momentum.js';
