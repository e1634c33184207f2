// The teacher's report, written where the person asked (`--out`, or the current directory). That
// may be a directory others can write to (/tmp): a link planted under the report's name must not
// make root write through it, so the final name is opened without following a link.
import { closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A report's name is taken by a symbolic link: nothing is written through it. */
export class ReportLinkError extends Error {
  constructor(readonly path: string) {
    super(`${path} is a symbolic link: the report is not written through it`);
    this.name = 'ReportLinkError';
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function writeReportFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const paths = Object.keys(files).map((name) => join(dir, name));
  // Every name is looked at first, so that a link under the second leaves the first unwritten too;
  // O_NOFOLLOW below still refuses a link planted after this look.
  const link = paths.find(isSymbolicLink);
  if (link) throw new ReportLinkError(link);
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
    let fd: number;
    try {
      fd = openSync(path, flags, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ReportLinkError(path);
      throw error;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }
}
