// The package's second entry, `alnum-train/optimizers`: tfjs's Adam and momentum optimizers fused on the
// training backend. Apart from the main entry, whose types mention nothing from tfjs (tfjs-core's own types
// need the DOM library), so a program that only starts the backend type-checks without it.
export { adam } from './train/adam.js';
export { momentum } from './train/momentum.js';
