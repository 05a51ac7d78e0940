import { move } from 'piscina';
import { type RenderTask, renderChunk } from '../src/data/synthetic/render.js';

/** Piscina task: renders one run of synthetic samples and hands the pixels back by transfer, not copy. */
export default function render(task: RenderTask): ReturnType<typeof move> {
  return move(renderChunk(task));
}
