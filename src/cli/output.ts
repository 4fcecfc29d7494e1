/** Output helpers shared by the commands: stdout for results, stderr for progress and notices. */

/** Write text to stdout. */
export function out(s: string): void {
  process.stdout.write(s);
}

/** Write text to stderr. */
export function err(s: string): void {
  process.stderr.write(s);
}
