/** A command that ends with a specific exit code without being an error (e.g. 130 after Ctrl-C). */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CommandExit';
  }
}
