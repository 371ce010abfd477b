import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Medic's own files (the SQLite database, the demo's config) hold token hashes, runbook output and
 * incident history: only the user Medic runs as may read them. Folders Medic creates are 0700 and files
 * it writes 0600, set explicitly because the umask only takes bits away from what `mode` asks for
 * (a umask of 000 would leave a file 0666). Folders and files that were there already keep their mode:
 * a path like /tmp in a storage.url is not Medic's to change.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** `mkdir -p`; every folder it creates is 0700. */
export function makePrivateDir(dir: string): void {
  const target = path.resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const top = path.resolve(first);
  for (let d = target; ; d = path.dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === top || d === path.dirname(d)) break;
  }
}

/** Creates an empty 0600 file unless one is there (SQLite then opens it as an empty database). */
export function ensurePrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file Medic owns (replacing it): 0600, also when an older run left it readable. */
export function writePrivateFile(file: string, data: string): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}
