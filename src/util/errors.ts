/**
 * Errors caused by the user's input (a config, a chip file, a data file, a CLI flag).
 * The CLI prints `message` on one line and exits with code 2; no stack trace.
 * The message always names the file and, where there is one, the JSON path.
 */
export class UserError extends Error {
  /** Process exit code the CLI uses for user mistakes. */
  static readonly EXIT_CODE = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Build the canonical "file: path: problem" message. */
export function userError(file: string, jsonPath: string, problem: string): UserError {
  const where = jsonPath ? `${file}: ${jsonPath}` : file;
  return new UserError(`${where}: ${problem}`);
}
