/** Keras's EarlyStopping on validation loss: stop once `patience` epochs in a row bring no improvement. */
export class EarlyStopping {
  best = Infinity;
  wait = 0;

  constructor(readonly patience: number) {}

  /** Records one epoch's validation loss and says whether training should stop now. */
  shouldStop(valLoss: number): boolean {
    if (valLoss < this.best) {
      this.best = valLoss;
      this.wait = 0;
      return false;
    }
    this.wait += 1;
    return this.wait >= this.patience;
  }
}
