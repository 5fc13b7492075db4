/**
 * Quotes one value for a POSIX shell: the result is always read as exactly one word, whatever
 * the value holds (`$(…)`, backticks, quotes, `;`, newlines). Backslashes are taken out of the
 * quotes as `\\` too, so the word also survives fish, which reads `\\` inside single quotes.
 */
export function shq(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) throw new TypeError('A shell argument cannot contain a NUL byte.');
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(text)) return text;
  // One pass: each replacement must not be rewritten by the other.
  return `'${text.replace(/[\\']/g, (c) => (c === "'" ? "'\\''" : "'\\\\'"))}'`;
}

/** A command line from a program and its arguments, every argument quoted. */
export function shellCommand(program: string, ...args: (string | number)[]): string {
  return [program, ...args].map(shq).join(' ');
}
