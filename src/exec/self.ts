// "This same program", whichever form it was shipped in: the command line that runs it again
// (the sudo askpass helper re-invokes the wizard), and the files built into it.
//
// The wizard ships in two forms (README, "One file onto a fresh server"):
//   - the bundle, dist/bundle/uwsgi-nginx-guide.cjs, run by a Node found on the machine:
//     it runs again as [process.execPath, <the .cjs path>] (process.argv[1], absolute);
//   - the standalone executable, dist/uwsgi-nginx-guide-linux-x64 (a Node single executable
//     application, scripts/standalone.mjs): Node is inside it and process.argv[1] is the
//     executable again (Node puts it there so that the flags start at argv[2] in both forms),
//     so it runs again as [process.execPath] alone; there is no script path to give it.
// Node's own flags (process.execArgv) are not carried over: the shipped forms need none, and one
// such as --inspect would make the second process fight the first for its port.
//
// sudo runs SUDO_ASKPASS as one path, without arguments of its own: the executable can be that
// path as it is; the bundle needs a small script that execs these words.
import type * as Sea from 'node:sea';

/**
 * node:sea, when this Node has it (20.12 and later; the package asks for 20.17). Loaded through
 * process.getBuiltinModule so that a Node without it (or a runtime that only looks like Node)
 * simply counts as "not a single executable" instead of failing to start.
 */
function sea(): typeof Sea | undefined {
  try {
    return process.getBuiltinModule?.('node:sea') as typeof Sea | undefined;
  } catch {
    return undefined;
  }
}

/** True when this process is the standalone executable (a single executable application). */
export function isStandalone(): boolean {
  return sea()?.isSea() ?? false;
}

/** The command line (file, then arguments) that starts this same program again; add the flags after it. */
export function selfCommand(): string[] {
  if (isStandalone()) return [process.execPath];
  const script = process.argv[1];
  return script ? [process.execPath, script] : [process.execPath];
}

/**
 * A file built into the standalone executable (scripts/standalone.mjs lists them: the recordings
 * of --simulate), as text; undefined when this is not the executable or it has no such file.
 */
export function builtInFile(name: string): string | undefined {
  const module = sea();
  if (!module?.isSea()) return undefined;
  try {
    return module.getAsset(name, 'utf8');
  } catch {
    return undefined;
  }
}
