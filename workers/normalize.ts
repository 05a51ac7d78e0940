import { normalizeShard } from '../src/data/normalize.js';

/** Normalises one shard of images straight into the shared output. */
export default normalizeShard;
