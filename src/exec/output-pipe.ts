// Where a command's output goes: one real pipe for stdout and stderr together, not Node's own
// stdio pipes. Node gives a child a Unix socket pair for each 'pipe'; every write the command
// makes stays a separate message in the socket, so a build printing 200,000 short lines one
// write at a time costs the wizard's process 200,000 messages to take apart in the kernel (a
// third of its CPU over such a step, npm run bench). A pipe packs small writes into its pages and
// hands them over in one read. Both streams share it, as with 2>&1, so their lines keep the order
// they were written in.
//
// Node has no call for pipe(2), so the pipe is a FIFO made by mkfifo in a private directory,
// opened at both ends and removed at once: nothing stays on disk, and no one else can open it.
// Should any of that fail, the command gets Node's pipes as before (openOutputPipe says so by
// returning undefined).
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OutputPipe {
  /** For the command's stdout and stderr. The wizard's copy is closed by closeWriteEnd. */
  writeFd: number;
  /** The wizard's end: emits the output, then 'close' once every writer has closed its end. */
  reader: net.Socket;
  /** Close the wizard's copy of the write end: the child has its own (or was never started). */
  closeWriteEnd(): void;
}

export function openOutputPipe(): OutputPipe | undefined {
  let directory: string | undefined;
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    directory = mkdtempSync(join(tmpdir(), 'uwsgi-guide-output-'));
    const fifo = join(directory, 'output');
    const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore', timeout: 5000 });
    if (made.status !== 0) return undefined;
    // The read end first, without waiting for a writer; then the write end, which a reader lets
    // open at once. The write end stays blocking: commands expect that of their stdout.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    writeFd = openSync(fifo, constants.O_WRONLY);
    const reader = new net.Socket({ fd: readFd, readable: true, writable: false });
    const ownWriteFd = writeFd;
    let closed = false;
    return {
      writeFd: ownWriteFd,
      reader,
      closeWriteEnd: () => {
        if (closed) return;
        closed = true;
        closeSync(ownWriteFd);
      },
    };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    if (writeFd !== undefined) closeSync(writeFd);
    return undefined;
  } finally {
    if (directory) rmSync(directory, { recursive: true, force: true });
  }
}
