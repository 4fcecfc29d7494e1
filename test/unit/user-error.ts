import { UserError } from '../../src/util/errors';

/**
 * The message of the UserError that `f` throws; fails the test when `f` throws anything
 * else, a message of more than one line, or nothing at all (with `whenAccepted`).
 */
export function userErrorMessage(f: () => unknown, whenAccepted = 'expected a UserError'): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(whenAccepted);
}
