import type { Group } from 'h5wasm/node';

// How h5py stores the values Keras hands it, so that h5py gives Keras back the same Python types:
// `bytes` and arrays of `bytes` become fixed-length ASCII strings (read back as numpy bytes), `str` a
// variable-length UTF-8 string (read back as str), and an empty list an empty float64 array.

/** A fixed-length ASCII string attribute, as h5py writes a Python `bytes` value. */
export function writeBytesAttribute(target: Group, name: string, value: string): void {
  target.create_attribute(name, value, null, `A${fixedLength([value])}`);
}

/** A 1-D array of fixed-length ASCII strings, as h5py writes `np.asarray([b'...', ...])`; `[]` is an empty float64 array. */
export function writeBytesArrayAttribute(target: Group, name: string, values: string[]): void {
  if (values.length === 0) target.create_attribute(name, new Float64Array(0), [0], '<d');
  else target.create_attribute(name, values, [values.length], `A${fixedLength(values)}`);
}

/** A variable-length UTF-8 string attribute, as h5py writes a Python `str`. */
export function writeStrAttribute(target: Group, name: string, value: string): void {
  target.create_attribute(name, value);
}

/** numpy's itemsize for these byte strings: the longest one's length, at least 1. */
function fixedLength(values: string[]): number {
  const encoder = new TextEncoder();
  return Math.max(1, ...values.map((v) => encoder.encode(v).length));
}
