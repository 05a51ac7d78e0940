// Whether the optional PyTorch peer can run here: Debian's torch under the system Python, never pip's.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The interpreter Debian's python3-torch installs into (a pyenv `python3` earlier on PATH lacks it);
 * the environment variable TORCH_PYTHON points the bench at another one.
 */
export const TORCH_PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

/** The one line printed when the peer is skipped: why, and how to get it. */
export const TORCH_INSTALL_HINT = 'apt-get update && apt-get install python3-torch libopenblas0-pthread';

/** Resolves to null when `import torch` works under TORCH_PYTHON, else to a phrase saying why not. */
export async function torchMissing(): Promise<string | null> {
  try {
    await promisify(execFile)(TORCH_PYTHON, ['-c', 'import torch'], { timeout: 60_000 });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
    return stderr !== undefined && stderr !== '' ? stderr : `${TORCH_PYTHON} did not run`;
  }
}
