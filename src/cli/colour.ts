/**
 * Whether a stream gets ANSI colour, by the common conventions, strongest first:
 * - `--no-color` on the command line: never (the user asked this run for plain text);
 * - `FORCE_COLOR`: empty, `1`, `2`, `3` or `true` force colour even into a pipe, any other value
 *   (`0`, `false`) turns it off; as in Node's own `tty` rules it outranks `NO_COLOR`;
 * - `NO_COLOR` set to anything but the empty string: never (no-color.org);
 * - otherwise only on a terminal, and not on one that says `TERM=dumb`.
 */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The few styles the CLI uses; each is the identity when colour is off. */
export interface Palette {
  heading(text: string): string;
  /** The figures a run is for: test accuracy, error reduction. */
  result(text: string): string;
  warning(text: string): string;
  error(text: string): string;
}

const PLAIN: Palette = { heading: (t) => t, result: (t) => t, warning: (t) => t, error: (t) => t };

// Each style closes only what it opened (22 ends bold, 39 ends the foreground colour), so styles nest.
const COLOURED: Palette = {
  heading: (t) => `\x1b[1m${t}\x1b[22m`,
  result: (t) => `\x1b[1;32m${t}\x1b[39;22m`,
  warning: (t) => `\x1b[33m${t}\x1b[39m`,
  error: (t) => `\x1b[31m${t}\x1b[39m`,
};

export function palette(colour: boolean): Palette {
  return colour ? COLOURED : PLAIN;
}
