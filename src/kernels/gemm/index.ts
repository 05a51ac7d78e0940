export * from './abi.js';
export * from './arena.js';
export * from './loader.js';
export * from './plan.js';
export * from './reference.js';
export * from './run.js';
