/**
 * A problem found inside a pickle, phrased as the tail of a sentence ("X has shape (3, 28, 28)");
 * the loader turns it into a UserError that names the file.
 */
export class PickleProblem extends Error {
  override name = 'PickleProblem';
}

/** Throws a PickleProblem; a function so that call sites read as one expression. */
export function problem(text: string): never {
  throw new PickleProblem(text);
}

/** A shape written the way numpy prints it, e.g. `(8, 56, 56)` or `(8,)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** A string from the file made safe to quote in a one-line message: printable ASCII only, bounded. */
export function quoteForMessage(text: string, maxLength = 60): string {
  // Control characters or newlines from a hostile file must not break the one-line message.
  const printable = text.slice(0, maxLength).replace(/[^\x20-\x7e]/g, '?');
  return text.length > maxLength ? `${printable}...` : printable;
}

/** A number as a user would write it in Python, so messages read naturally (`nan`, `inf`). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}
