// The teacher's report, written where the person asked (`--out`, or the current directory). That
// may be a directory others can write to (/tmp): a link planted under the report's name must not
// make root write through it, so the final name is opened without following a link.
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function writeReportFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
    const fd = openSync(join(dir, name), flags, 0o644);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }
}
