// Where a command's output goes: one real pipe for stdout and stderr together, not Node's own
// stdio pipes. Node gives a child a Unix socket pair for each 'pipe'; every write the command
// makes stays a separate message in the socket, so a build printing 200,000 short lines one
// write at a time costs the wizard's process 200,000 messages to take apart in the kernel (a
// third of its CPU over such a step, npm run bench). A pipe packs small writes into its pages and
// hands them over in one read. Both streams share it, as with 2>&1, so their lines keep the order
// they were written in.
//
// Node has no call for pipe(2), so the pipe is a FIFO made by mkfifo in a private directory and
// removed as soon as it is open: nothing stays on disk. The write end is opened through
// /proc/self/fd, that is through the read end already held, never by name again: even in a
// temporary directory others can write to, no one can slip another FIFO in between. Should any of
// it fail, the command gets Node's pipes as before (openOutputPipe returns undefined).
import { spawnSync } from 'node:child_process';
import { closeSync, constants, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OutputPipe {
  /** For the command's stdout and stderr. The wizard's copy is closed by closeWriteEnd. */
  writeFd: number;
  /**
   * The wizard's end: emits the output as text, then 'close' once every writer has closed its end (or
   * startCommand destroys it, DRAIN_AFTER_EXIT_MS after the command exited).
   */
  reader: net.Socket;
  /** Close the wizard's copy of the write end: the child has its own (or was never started). */
  closeWriteEnd(): void;
}

/** Set once making a FIFO failed (no mkfifo, no writable temporary directory): not tried again. */
let unavailable = false;

export function openOutputPipe(): OutputPipe | undefined {
  if (unavailable) return undefined;
  let directory: string | undefined;
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    directory = mkdtempSync(join(tmpdir(), 'uwsgi-guide-output-'));
    const fifo = join(directory, 'output');
    const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore', timeout: 5000 });
    if (made.status !== 0) throw new Error('mkfifo failed');
    // The read end first, without waiting for a writer (O_NONBLOCK), and not through a link.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const opened = fstatSync(readFd);
    if (!opened.isFIFO() || opened.uid !== process.geteuid?.()) throw new Error('not the FIFO made here');
    // The write end stays blocking, as commands expect of their stdout; a reader is there, so
    // opening it does not wait.
    writeFd = openSync(`/proc/self/fd/${readFd}`, constants.O_WRONLY);
    const reader = new net.Socket({ fd: readFd, readable: true, writable: false });
    reader.setEncoding('utf8');
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
    unavailable = true;
    if (readFd !== undefined) closeSync(readFd);
    if (writeFd !== undefined) closeSync(writeFd);
    return undefined;
  } finally {
    try {
      if (directory) rmSync(directory, { recursive: true, force: true });
    } catch {
      // Left behind in the temporary directory: empty once the FIFO's ends are closed.
    }
  }
}
