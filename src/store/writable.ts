/**
 * Every output path is checked before work starts and every write failure is a
 * one-line user error (path and reason), never a stack trace: a read-only mount, a
 * folder of another user or a file where a folder is expected are the user's to
 * fix. Kernel pseudo file systems (/proc, /sys, /dev, cgroup, ...) are refused
 * outright: they accept mkdir -p in ways that never finish and hold no real files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';

/** Plain-words reasons for the error codes a write can meet. */
const REASONS: Readonly<Record<string, string>> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EINVAL: 'invalid argument',
  EFBIG: 'file too large',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/**
 * statfs magic numbers (linux/magic.h) of kernel pseudo file systems: proc, sysfs,
 * devtmpfs/devpts, debugfs, tracefs, securityfs, cgroup, cgroup2, bpf, pstore,
 * configfs, efivarfs, hugetlbfs, mqueue, fusectl.
 */
const SPECIAL_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x958458f6, 'hugetlbfs'],
  [0x19800202, 'mqueue'],
  [0x65735543, 'fusectl'],
]);

/** Top-level folders that are kernel interfaces even where statfs cannot tell (devtmpfs looks like tmpfs); /dev/shm is an ordinary tmpfs. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The reason text of a file-system error (its code in plain words, else its message). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined) return REASONS[code] ?? code;
  return (e as Error).message;
}

/** Whether `e` is an error of the operating system (it has an errno code) rather than a bug. */
export function isFsError(e: unknown): boolean {
  // Not `instanceof Error`: errors made by Node's core may come from another realm (vm contexts, jest).
  return typeof e === 'object' && e !== null && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A one-line user error "path: cannot <what> (reason)" for an operating-system error; other errors pass through. */
export function writeError(file: string, what: string, e: unknown): Error {
  if (e instanceof UserError) return e;
  if (!isFsError(e)) return e as Error;
  return new UserError(`${file}: cannot ${what} (${fsReason(e)})`);
}

/** The nearest ancestor of `p` (or `p` itself) that exists. */
function nearestExisting(p: string): string {
  let at = path.resolve(p);
  for (;;) {
    try {
      fs.lstatSync(at);
      return at;
    } catch {
      const up = path.dirname(at);
      if (up === at) return at;
      at = up;
    }
  }
}

/** Refuse a path on a kernel pseudo file system. */
function refuseSpecial(target: string, existing: string): void {
  const abs = path.resolve(target);
  const under = (r: string): boolean => abs === r || abs.startsWith(`${r}/`);
  const root = under('/dev/shm') ? undefined : SPECIAL_ROOTS.find(under);
  let kind: string | undefined = root !== undefined ? root.slice(1) : undefined;
  if (kind === undefined) {
    try {
      kind = SPECIAL_FS.get(Number(fs.statfsSync(existing).type));
    } catch {
      kind = undefined;
    }
  }
  if (kind !== undefined) throw new UserError(`${target}: cannot write here (${kind} is a kernel pseudo file system, not a place for files)`);
}

/**
 * Check that folder `dir` exists and is writable, or can be created: every existing
 * ancestor must be a directory, the nearest one writable, and none a pseudo file system.
 */
export function checkFolderWritable(dir: string, label: string = dir): void {
  const abs = path.resolve(dir);
  const existing = nearestExisting(abs);
  refuseSpecial(label, existing);
  const st = fs.statSync(existing, { throwIfNoEntry: false });
  if (st === undefined) throw new UserError(`${label}: cannot create the folder (${existing} is a broken symbolic link)`);
  if (!st.isDirectory()) throw new UserError(`${label}: cannot create the folder (${existing} is ${existing === abs ? 'a file, not a directory' : 'not a directory'})`);
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new UserError(`${label}: cannot write in ${existing} (${fsReason(e)})`);
  }
  probeWrite(label, existing);
}

/**
 * Check that `file` can be written: not a folder itself, its folder exists and is
 * writable; `willCreate` names a folder the caller creates before writing (a run
 * folder), which may stand in for a missing parent.
 */
export function checkFileWritable(file: string, willCreate?: string): void {
  const abs = path.resolve(file);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs, { throwIfNoEntry: false });
  } catch {
    st = undefined; // ENOTDIR: a file where a parent folder should be, reported below
  }
  if (st !== undefined && st.isDirectory()) throw new UserError(`${file}: cannot write the file (is a directory)`);
  const parent = path.dirname(abs);
  if (willCreate !== undefined && parent === path.resolve(willCreate)) {
    checkFolderWritable(parent, file);
    return;
  }
  refuseSpecial(file, nearestExisting(parent));
  let pst: fs.Stats | undefined;
  try {
    pst = fs.statSync(parent, { throwIfNoEntry: false });
  } catch (e) {
    throw new UserError(`${file}: cannot write the file (${fsReason(e)})`);
  }
  if (pst === undefined) throw new UserError(`${file}: cannot write the file (folder ${parent} does not exist)`);
  if (!pst.isDirectory()) throw new UserError(`${file}: cannot write the file (${parent} is not a directory)`);
  checkFolderWritable(parent, file);
}

/**
 * Create a probe file in `existing` and delete it at once: access() says yes to root
 * on a read-only mount's folders only if the mount is writable, but a quota or a
 * full disk shows only on a real create.
 */
function probeWrite(target: string, existing: string): void {
  // Named like a temporary sibling (.NAME.tmp-PID-N), so that one left by a kill is cleaned up like them.
  const probe = path.join(existing, `.bitspike-probe.tmp-${process.pid}-0`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new UserError(`${target}: cannot write in ${existing} (${fsReason(e)})`);
  }
  fs.rmSync(probe, { force: true });
}

/** Create folder `dir` (and its parents) after the checks of checkFolderWritable; failures are one-line user errors. */
export function makeFolder(dir: string, what = 'create the folder'): void {
  checkFolderWritable(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw writeError(dir, what, e);
  }
}
