/** One epoch's figures, as Keras's History keeps them plus timing. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  seconds: number;
  samplesPerSecond: number;
}
