// What every command's flag parsing shares: node's strict parseArgs with its errors as one usage line,
// and whole-number flags checked the same way everywhere.
import { parseArgs } from 'node:util';
import { usageError } from './usage_error.js';

/** The option table node's parseArgs takes. */
type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** The values parseArgs gives for `options` under strict parsing. */
type ParsedFlags<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: T }>>['values'];

/** Parses `argv` strictly (no positionals, no unknown flags); a parse error is a usage error pointing at --help. */
export function parseFlags<T extends Options>(argv: string[], options: T): ParsedFlags<T> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw usageError(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
}

/** A whole-number flag in [min, max], or `fallback` when it is absent. */
export function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw usageError(`--${flag} must be a whole number ${range}, not "${value}"`);
  }
  return n;
}
