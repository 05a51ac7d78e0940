// Kept apart from report.ts, which writes files, so that the browser page computes it the same way.

/** The share of the FC net's test errors that the CNN removes, in percent (the notebook's last cell). */
export function errorReduction(fcAcc: number, cnnAcc: number): number {
  return ((cnnAcc - fcAcc) / (1 - fcAcc)) * 100;
}
