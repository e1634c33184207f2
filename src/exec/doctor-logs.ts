// The logs the doctor reads (issue 16), as a person would: nginx's error log, uWSGI's own log file
// (logto, daemonize), its unit's journal, its Upstart log. Only their ends (the last LOG_TAIL_BYTES),
// and only since the last start. The doctor runs as root, and a log may sit in a directory others
// can write to (a logto under /tmp, an app directory): there a link planted under the log's name is
// not followed, so the doctor never shows another file's lines as the log's. A log that is not a
// regular file (a link to /dev/stderr in a container, a FIFO) is said so, never opened for reading.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { nginxLinesSince, sinceLastUwsgiStart, type LogSource } from '../engine/doctor/log-signatures.js';
import { shellLine } from '../engine/commands.js';
import { execQuiet, type ExecResult } from './system.js';

/** How much of a log's end is read: enough for many starts and requests, never a whole year's log. */
export const LOG_TAIL_BYTES = 256 * 1024;

export const NGINX_ERROR_LOG = '/var/log/nginx/error.log';

/** Why a log could not be read: missing, a planted link, not a regular file, or another error (errno's code). */
export type LogUnreadable = 'missing' | 'link' | 'not-a-file' | 'denied' | 'failed';

export interface LogRead {
  source: LogSource;
  /** The file, or the journal command for the journal: what the evidence names. */
  file: string;
  /** The lines since the last start (uWSGI) or since the time asked (nginx), oldest first. */
  lines: string[];
  /** The read began inside the log (it is longer than LOG_TAIL_BYTES): older lines were left out. */
  cut: boolean;
  unreadable?: LogUnreadable;
  /** The system's own words when it was not read (ENOENT, journalctl's stderr). */
  reason?: string;
}

/**
 * May a link under this directory be followed? Only where nobody but root can have put it there:
 * the directory is root's and neither its group nor others may write to it.
 */
function linksTrusted(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** A log's end as lines: without the empty one after the last newline, nor a first one cut in two. */
function tailLines(bytes: Buffer, cut: boolean): string[] {
  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (cut) lines.shift();
  return lines;
}

/** The last `maxBytes` of a file as lines; a line cut in two at the start is left out. */
export function readTail(
  path: string,
  maxBytes = LOG_TAIL_BYTES,
): { lines: string[]; cut: boolean } | { unreadable: LogUnreadable; reason: string } {
  const follow = linksTrusted(dirname(path));
  // O_NONBLOCK: a FIFO under the log's name must not hang the doctor in open().
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    const unreadable: LogUnreadable =
      code === 'ENOENT' ? 'missing' : code === 'ELOOP' ? 'link' : code === 'EACCES' ? 'denied' : 'failed';
    return { unreadable, reason: code };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { unreadable: 'not-a-file', reason: 'not a regular file' };
    const start = Math.max(0, stat.size - maxBytes);
    const buffer = Buffer.alloc(stat.size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return { lines: tailLines(buffer.subarray(0, read), start > 0), cut: start > 0 };
  } finally {
    closeSync(fd);
  }
}

function fromFile(source: LogSource, file: string, since: (lines: string[]) => string[], maxBytes: number): LogRead {
  const tail = readTail(file, maxBytes);
  if ('unreadable' in tail) return { source, file, lines: [], cut: false, ...tail };
  return { source, file, lines: since(tail.lines), cut: tail.cut };
}

/**
 * nginx's error log (the path from the parsed configuration's error_log when given), from `since`
 * on when given (nginx's lines carry their time), else its whole read end.
 */
export function readNginxErrorLog(options: { path?: string; since?: Date; maxBytes?: number } = {}): LogRead {
  const since = options.since;
  const cut = since ? (lines: string[]) => nginxLinesSince(lines, since) : (lines: string[]) => lines;
  return fromFile('nginx', options.path ?? NGINX_ERROR_LOG, cut, options.maxBytes ?? LOG_TAIL_BYTES);
}

/** uWSGI's own log file (`logto`, `daemonize`), since its last start. */
export function readUwsgiLogFile(path: string, maxBytes = LOG_TAIL_BYTES): LogRead {
  return fromFile('uwsgi', path, sinceLastUwsgiStart, maxBytes);
}

/** The log Upstart keeps of a job's output: /var/log/upstart/NAME.log, since uWSGI's last start. */
export function readUpstartLog(job: string, maxBytes = LOG_TAIL_BYTES): LogRead {
  return fromFile('upstart', `/var/log/upstart/${job}.log`, sinceLastUwsgiStart, maxBytes);
}

/** The command that prints a unit's journal as its programs wrote it (`-o cat`), this boot or since a time. */
export function journalCommand(unit: string, since?: Date): string {
  const when = since ? ['--since', `@${Math.floor(since.getTime() / 1000)}`] : ['--boot'];
  return shellLine('journalctl', '-u', unit, ...when, '-o', 'cat', '--no-pager', '-n', '5000');
}

/**
 * A systemd unit's journal, since uWSGI's last start in it (systemd's own lines, "Failed at step
 * USER", come after it). `run` runs the command (the real one by default).
 */
export async function readJournal(
  unit: string,
  options: { since?: Date; maxBytes?: number; run?: (command: string) => Promise<ExecResult> } = {},
): Promise<LogRead> {
  const command = journalCommand(unit, options.since);
  const result = await (options.run ?? ((c: string) => execQuiet(c, { timeoutMs: 10_000 })))(command);
  if (result.code !== 0)
    return {
      source: 'journal',
      file: command,
      lines: [],
      cut: false,
      unreadable: 'failed',
      reason: result.stderr.trim(),
    };
  const maxBytes = options.maxBytes ?? LOG_TAIL_BYTES;
  const bytes = Buffer.from(result.stdout, 'utf8');
  const cut = bytes.length > maxBytes;
  const lines = tailLines(bytes.subarray(Math.max(0, bytes.length - maxBytes)), cut);
  // "-- No entries --" is journalctl's, not the unit's.
  const own = lines.filter((line) => !/^-- No entries --$/.test(line));
  return { source: 'journal', file: command, lines: sinceLastUwsgiStart(own), cut };
}
