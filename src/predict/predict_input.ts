import { open } from 'node:fs/promises';
import { CLASS_CHARS, PIXELS } from '../data/dataset.js';
import { loadPickle } from '../data/pickle.js';
import { UserError } from '../util/user_error.js';
import { classProbabilities, topK } from './classify.js';
import { loadCharacterImage } from './image_input.js';
import type { TrainedNetwork } from './load_trained.js';

/** What an input file holds, told by its first bytes rather than its name. */
export type InputKind = 'image' | 'pickle';

/**
 * Reads the first bytes of `path`: PNG and JPEG signatures, or a pickle's PROTO opcode (protocols 2-5).
 * A `.pkl` or `.pickle` file goes to the pickle loader whatever it starts with, for its precise message.
 */
export async function inputKind(path: string): Promise<InputKind> {
  let head: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      head = new Uint8Array(8);
      const { bytesRead } = await file.read(head, 0, 8, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new UserError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff)) return 'image';
  if (starts(0x80) && head.length > 1 && head[1]! >= 2 && head[1]! <= 5) return 'pickle';
  if (/\.(pkl|pickle)$/i.test(path)) return 'pickle';
  throw new UserError(`${path} is neither a PNG or JPEG image nor a pickle of (X, y)`);
}

/**
 * Predicts what `path` shows and returns the lines to print. An image gives the predicted character and
 * the top 3 with probabilities; a pickle gives one line per sample (the first `limit`) and the accuracy.
 */
export async function predictInput(network: TrainedNetwork, path: string, limit?: number): Promise<string[]> {
  if ((await inputKind(path)) === 'image') {
    const [probabilities] = classProbabilities(network, await loadCharacterImage(path), 1);
    const top = topK(probabilities!, 3);
    return [`predicted: ${top[0]!.char}`, ...top.map((g, i) => `  ${i + 1}. ${g.char}  ${percent(g.probability)}`)];
  }
  const raw = await loadPickle(path);
  const count = Math.min(raw.count, limit ?? raw.count);
  const images = new Float32Array(count * PIXELS);
  // The trainer's scaling (src/data/normalize.ts): uint8 divided by 255, floats already in [0, 1].
  const scale = raw.pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let i = 0; i < images.length; i++) images[i] = raw.pixels[i]! * scale;
  const rows = classProbabilities(network, images, count);
  const width = String(count - 1).length;
  let correct = 0;
  const lines = rows.map((probabilities, i) => {
    const [best] = topK(probabilities, 1);
    const label = CLASS_CHARS[raw.labels[i]!]!;
    const right = best!.char === label;
    if (right) correct++;
    return `${String(i).padStart(width)}  ${best!.char} ${percent(best!.probability)}  label ${label}${right ? '' : '  wrong'}`;
  });
  const of = count < raw.count ? ` (first ${count} of ${raw.count})` : '';
  lines.push(`accuracy: ${percent(correct / count).trim()} (${correct}/${count} samples${of})`);
  return lines;
}

function percent(p: number): string {
  return `${(p * 100).toFixed(2).padStart(6)}%`;
}
