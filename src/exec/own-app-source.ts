// Reading a person's project for `--app-source` (issue 17): which files it has, and the text of the
// few Python files the finder looks into (src/engine/own-app/find.ts). A wizard run as root reads it
// as the app's account (runuser), so it learns what that account can read and nothing more, and a
// link planted in the project cannot make root read another's file; GNU find never follows a symbolic
// link (-P), and links are left out. The project's code is read, never run.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { filesToRead, type SourceTree } from '../engine/own-app/find.js';
import type { SourceReading } from '../engine/ports.js';

/** How deep the listing goes, and how much of it and of the files is read at most. */
const LIST_DEPTH = 6;
const LIST_BYTES = 4 * 1024 * 1024;
const FILE_KIB = 256;
const TEXT_BYTES = 16 * 1024 * 1024;

/** Directories that are never the project's own code: not listed inside (a venv holds thousands of files). */
const NOT_SOURCE = ['.git', '.hg', '.svn', 'node_modules', '__pycache__', 'venv', '.venv', '.tox', '.mypy_cache'];

export async function readSource(path: string, asUser: string | undefined): Promise<SourceReading> {
  let root: string;
  try {
    // The path the person named may itself be a link (to their checkout): that one is followed, once.
    root = await fs.realpath(path);
    if (!(await fs.stat(root)).isDirectory()) return { kind: 'not-a-directory', path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', path };
    return { kind: 'unreadable', path, error: String(code ?? error) };
  }
  const as = (command: string[]) => (asUser === undefined ? command : ['runuser', '-u', asUser, '--', ...command]);
  const pruned = NOT_SOURCE.flatMap((name, at) => [...(at === 0 ? [] : ['-o']), '-name', name]);
  const listing = await collect(
    as(
      ['find', root, '-mindepth', '1', '-maxdepth', String(LIST_DEPTH), '(', ...pruned, ')'].concat([
        '-printf',
        '%y %P\\0',
        '-prune',
        '-o',
        '-printf',
        '%y %P\\0',
      ]),
    ),
    LIST_BYTES,
  );
  const refusedRoot = listing.stderr.split('\n').find((line) => line.includes(`'${root}'`));
  if (listing.failed || refusedRoot) {
    return { kind: 'unreadable', path, error: (refusedRoot ?? listing.stderr).trim() };
  }
  const files: string[] = [];
  const dirs: string[] = [];
  // The last entry is cut short when the listing was: only whole ones (ended by \0) are taken.
  for (const entry of listing.stdout.toString('utf8').split('\0').slice(0, -1)) {
    const [type, name] = [entry.slice(0, 1), entry.slice(2)];
    if (type === 'f') files.push(name);
    else if (type === 'd') dirs.push(name);
  }
  const tree: SourceTree = {
    files,
    dirs,
    texts: await readTexts(root, filesToRead(files), as),
    ...(dirs.includes('.git') || files.includes('.git') ? { git: true } : {}),
  };
  return { kind: 'read', root, tree };
}

/**
 * The texts of these files, in one find as the account: each regular file it may read, not too big,
 * printed as `SIZE PATH\0` then its bytes (sizes say where each ends, whatever it holds).
 */
async function readTexts(
  root: string,
  wanted: readonly string[],
  as: (command: string[]) => string[],
): Promise<Record<string, string>> {
  if (wanted.length === 0) return {};
  const paths = wanted.map((file) => `${root}/${file}`);
  const test = ['-maxdepth', '0', '-type', 'f', '-readable', '-size', `-${FILE_KIB + 1}k`];
  const print = ['-printf', '%s %p\\0', '-exec', 'cat', '--', '{}', ';'];
  const { stdout } = await collect(as(['find', ...paths, ...test, ...print]), TEXT_BYTES);
  const texts: Record<string, string> = {};
  let at = 0;
  while (at < stdout.length) {
    const end = stdout.indexOf(0, at);
    if (end === -1) break;
    const header = stdout.subarray(at, end).toString('utf8');
    const space = header.indexOf(' ');
    const size = Number(header.slice(0, space));
    const path = header.slice(space + 1);
    // A file that changed size while it was read would misplace every one after it: stop there.
    if (!Number.isInteger(size) || !path.startsWith(`${root}/`) || end + 1 + size > stdout.length) break;
    texts[path.slice(root.length + 1)] = stdout.subarray(end + 1, end + 1 + size).toString('utf8');
    at = end + 1 + size;
  }
  return texts;
}

interface Collected {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  /** It could not be started (no runuser, no find). */
  failed: boolean;
}

function collect(command: string[], mostBytes: number): Promise<Collected> {
  return new Promise((done) => {
    // LC_ALL=C: find's messages are read here (it quotes the root as '…', not ‘…’).
    const env = { ...process.env, LC_ALL: 'C' };
    const child = spawn(command[0]!, command.slice(1), { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failed = false;
    // More than that: what came is kept and the rest left unread (a listing then ends early).
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > mostBytes) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      failed = true;
      stderr += String(error);
    });
    child.on('close', (code) => done({ stdout: Buffer.concat(chunks), stderr, code, failed }));
  });
}
