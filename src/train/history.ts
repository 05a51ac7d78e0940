/** One epoch's figures, as Keras's History keeps them plus timing. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  /** Training plus validation, as Keras's epoch time. */
  seconds: number;
  /** Of `seconds`, the time spent in training steps (the step calls themselves, host time). */
  stepSeconds: number;
  /** Of `seconds`, the time spent scoring the validation split. */
  validationSeconds: number;
  samplesPerSecond: number;
}
