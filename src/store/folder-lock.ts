/**
 * One process per run or sweep folder: the holder creates `.bitspike.lock` with
 * O_EXCL (atomic on POSIX file systems) holding its pid, host and command; a second
 * process finds it and stops with a one-line error naming the holder. A lock whose
 * pid is dead on this host is stale (a killed process cannot remove it) and is taken
 * over. The lock is removed when the holder releases it or exits.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../util/errors';
import { writeError } from './writable';

/** Name of the lock file inside a locked folder. */
export const LOCK_FILE = '.bitspike.lock';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** A held lock; `release` removes the lock file (idempotent). */
export interface FolderLock {
  readonly dir: string;
  release(): void;
}

/** Whether process `pid` exists on this host (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string') return null;
    return { pid: h.pid, host: h.host, command: String(h.command ?? ''), since: String(h.since ?? '') };
  } catch {
    return null;
  }
}

/** Whether the holder recorded in `dir`'s lock file is alive (false when there is no lock or it is stale). */
export function folderLockedByOther(dir: string): LockHolder | null {
  const h = readHolder(path.join(dir, LOCK_FILE));
  if (h === null || h.pid === process.pid) return null;
  if (h.host !== os.hostname()) return h;
  return pidAlive(h.pid) ? h : null;
}

const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Lock folder `dir` (which must exist) for this process, `command` describing the
 * work (e.g. "bitspike train"). Throws a UserError naming the holder if another
 * live process has it.
 */
export function lockFolder(dir: string, command: string): FolderLock {
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) return { dir, release: () => undefined }; // already ours: the outer holder releases it
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify(me)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(file, 'create the lock file', e);
      const h = readHolder(file);
      const alive = h !== null && h.pid !== process.pid && (h.host !== me.host || pidAlive(h.pid));
      if (alive && h !== null) {
        throw new UserError(`${dir}: in use by ${h.command || 'another process'} (pid ${h.pid} on ${h.host}, since ${h.since}); wait for it to end or stop it`);
      }
      // A lock that cannot be read is one being written this very moment, or a stale one: give the writer a moment.
      if (h === null && attempt === 0) {
        const t = Date.now() + 50;
        while (Date.now() < t) {
          /* a 50 ms wait, once: lock files are written in one call */
        }
        continue;
      }
      if (attempt > 3) throw new UserError(`${dir}: cannot take the folder lock ${file} (it keeps changing)`);
      fs.rmSync(file, { force: true });
    }
  }
  held.add(file);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of held) if (readHolder(f)?.pid === process.pid) fs.rmSync(f, { force: true });
    });
  }
  return {
    dir,
    release: () => {
      if (!held.delete(file)) return;
      if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
