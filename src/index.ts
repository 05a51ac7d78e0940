// The package's public entry: the training backend for any tfjs program.
export { type TrainingBackend, type TrainingBackendOptions, useTrainingBackend } from './library/use_training_backend.js';
