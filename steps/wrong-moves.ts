// What the steps' wrong moves share. A wrong move is a mistake students commonly make when they do
// a step by hand (hands-on mode, issue 7), kept in that step's module (its `wrongMoves`) and
// recognised by a read-only probe that passes when the mistake is on the machine. The engine asks
// them only while the step's own checks do not pass, and shows the hint of each one found, with
// what its probe saw (a path, a process's directory).
import { appPaths, shellArg, shellLine, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext, WrongMove } from '../src/engine/types.js';

/**
 * A probe run as root (through sudo when the wizard is not root): another account's home and the
 * working directories of its processes are hidden from others. It passes when the script prints.
 */
export function printsSomething(ctx: PlanContext, script: string): WrongMove['probe'] {
  return { kind: 'command', command: `${withPrivilege(ctx, 'root', shellLine('sh', '-c', script))} | grep .` };
}

/**
 * Where a student's shell is likely to have put a file or directory meant for the app directory:
 * the working directory of every interactive shell on the machine (their other terminal or tmux
 * pane), and the homes of the service user and of root. Prints each place where `name` is found,
 * outside the app directory.
 */
export function foundOutsideAppDir(ctx: PlanContext, name: string): WrongMove['probe'] {
  const { appDir } = appPaths(ctx);
  const user = ctx.answers.user;
  const script = [
    // A shell is interactive when it has a terminal: its /proc/PID/fd/0 is a tty.
    // Piped, never through a file: a fixed name in /tmp written as root could be a planted link.
    `{ for pid in $(pgrep -x 'bash|sh|dash|zsh|fish|ksh'); do`,
    `  case "$(readlink /proc/$pid/fd/0)" in /dev/pts/*|/dev/tty*) readlink /proc/$pid/cwd;; esac`,
    // The homes, by tilde: the answers were validated, a user name holds no shell character.
    `done; echo ~${user}; echo ~root; } | sort -u | while read -r dir; do`,
    `  [ "$dir" = ${shellArg(appDir)} ] && continue`,
    `  [ -e "$dir/"${shellArg(name)} ] && echo "$dir/"${shellArg(name)}`,
    `done`,
  ].join('\n');
  return printsSomething(ctx, script);
}
