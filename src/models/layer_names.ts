/**
 * Keras 2's default layer names for one freshly built model: the class's snake-case prefix and a
 * per-prefix count from 1 (`dropout_1`, `dense_1`, `dense_2`, ...), as the notebook's `model.summary()`
 * prints them. Each model gets its own counter, so its names never depend on what the process built
 * before (tfjs's own auto names do).
 */
export function kerasLayerNames(): (prefix: string) => string {
  const counts = new Map<string, number>();
  return (prefix) => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    return `${prefix}_${n}`;
  };
}

/** The name Keras 2 gives the first Sequential model of a session. */
export const KERAS_SEQUENTIAL_NAME = 'sequential_1';
