/** What early stopping remembers between epochs, as JSON can hold it (null: no epoch scored yet). */
export interface EarlyStoppingState {
  best: number | null;
  wait: number;
}

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

  /** The state a checkpoint keeps. Like Keras's default, it never restores best weights, so none are kept. */
  get state(): EarlyStoppingState {
    return { best: Number.isFinite(this.best) ? this.best : null, wait: this.wait };
  }

  set state(saved: EarlyStoppingState) {
    this.best = saved.best ?? Infinity;
    this.wait = saved.wait;
  }
}
