import * as tf from '@tensorflow/tfjs-core';

/**
 * Batch losses and accuracies, each weighted by its batch size, summed on the device as they come, so that
 * a device backend is read once for many batches instead of once for each.
 */
export class DeviceSums {
  /** [loss sum, accuracy sum] since the last `take`, or null when nothing was added. */
  private sums: tf.Tensor1D | null = null;
  /** Samples added since the last `take`. */
  private samples = 0;

  /** Samples added and not yet read. */
  get pending(): number {
    return this.samples;
  }

  /** Adds one batch's mean loss and accuracy, and disposes them. */
  add(loss: tf.Scalar, acc: tf.Scalar, size: number): void {
    const previous = this.sums;
    this.sums = tf.tidy(() => {
      const batch = tf.mul(tf.stack([loss, acc]), size) as tf.Tensor1D;
      return previous === null ? batch : (tf.add(previous, batch) as tf.Tensor1D);
    });
    tf.dispose(previous === null ? [loss, acc] : [previous, loss, acc]);
    this.samples += size;
  }

  /** Reads the sums with one read of the device and starts again from zero. */
  take(): { lossSum: number; accSum: number; samples: number } {
    const sums = this.sums;
    const samples = this.samples;
    this.sums = null;
    this.samples = 0;
    if (sums === null) return { lossSum: 0, accSum: 0, samples };
    const [lossSum, accSum] = sums.dataSync();
    sums.dispose();
    return { lossSum: lossSum!, accSum: accSum!, samples };
  }
}
