// An export's files (issue 19), written where the person asked (`--out`): every name is looked at
// before the first is written, so that a refusal leaves nothing half written; a file already there
// is replaced only with --force, and never through a symbolic link.
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Why the export was not written: the directory refuses writes, or a file would be replaced unasked. */
export class ExportFilesError extends Error {
  constructor(
    readonly problem: 'not-writable' | 'exists',
    readonly path: string,
    readonly reason = '',
  ) {
    super(problem === 'exists' ? `${path} exists` : `${path}: ${reason}`);
    this.name = 'ExportFilesError';
  }
}

export interface ExportFile {
  text: string;
  mode: number;
}

function existing(path: string): 'none' | 'link' | 'file' {
  try {
    return lstatSync(path).isSymbolicLink() ? 'link' : 'file';
  } catch {
    return 'none';
  }
}

export function writeExportFiles(dir: string, files: Record<string, ExportFile>, force: boolean): string[] {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ExportFilesError('not-writable', dir, code ?? message);
  }
  const paths = Object.keys(files).map((name) => join(dir, name));
  for (const path of paths) {
    const there = existing(path);
    if (there === 'link' || (there === 'file' && !force)) throw new ExportFilesError('exists', path);
  }
  for (const [name, { text, mode }] of Object.entries(files)) {
    const path = join(dir, name);
    const flags =
      constants.O_WRONLY |
      constants.O_CREAT |
      constants.O_TRUNC |
      constants.O_NOFOLLOW |
      (force ? 0 : constants.O_EXCL);
    let fd: number;
    try {
      fd = openSync(path, flags, mode);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'EEXIST' || code === 'ELOOP') throw new ExportFilesError('exists', path);
      throw new ExportFilesError('not-writable', dir, code ?? message);
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }
  return paths;
}
