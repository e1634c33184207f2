// Pure helpers that turn the answers into the concrete paths and command lines of the plan.
// Every value that reaches a shell goes through `shellArg`, so one function decides quoting.
import type { CommandAction, PlanContext, RunAs, Text } from './types.js';

/**
 * Quote one argument for /bin/sh the way Python's shlex.quote does: words made only of safe
 * characters stay as they are (`/home/demo/myapp`, `--protocol=http`), anything else is put in
 * single quotes, where the shell expands nothing; a single quote inside becomes '\''.
 */
export function shellArg(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Join program and arguments into one line, quoting each argument that needs it. */
export function shellLine(...words: string[]): string {
  return words.map(shellArg).join(' ');
}

/** Every path the guide names, for this app. File names follow the guide (`APPenv`, `APP.ini`). */
export function appPaths(ctx: PlanContext) {
  const { appName, appDir } = ctx.answers;
  const venv = `${appDir}/${appName}env`;
  // The socket lives in /run/APP, not in the home directory: since Ubuntu 21.04 and Debian 12,
  // homes are private (750/700) and nginx could not reach it (pitfalls #12). The guide's own
  // system keeps its socket beside the app.
  const runDir = `/run/${appName}`;
  const socket = ctx.platform.socketInAppDir ? `${appDir}/${appName}.sock` : `${runDir}/${appName}.sock`;
  return {
    appDir,
    venv,
    venvBin: `${venv}/bin`,
    python: `${venv}/bin/python`,
    pip: `${venv}/bin/pip`,
    uwsgi: `${venv}/bin/uwsgi`,
    wsgiPy: `${appDir}/wsgi.py`,
    ini: `${appDir}/${appName}.ini`,
    runDir,
    socket,
    pidFile: `${runDir}/${appName}.pid`,
    uwsgiLog: `${appDir}/${appName}.log`,
    systemdUnit: `/etc/systemd/system/${appName}.service`,
    upstartJob: `/etc/init/${appName}.conf`,
    siteAvailable: `/etc/nginx/sites-available/${appName}`,
    siteEnabled: `/etc/nginx/sites-enabled/${appName}`,
  };
}

/**
 * Prefix a command line so that it runs as the right account from the account running the
 * wizard: `sudo` for system commands when not root (exec/sudo.ts: the password is asked once,
 * before the screen), `runuser` when root acts for the service user, and from another account
 * `sudo runuser`: root first, then the user. Not `sudo -u USER`, which needs a sudoers rule that
 * names other accounts ("(ALL:ALL)"); a plain "ALL=NOPASSWD: ALL" allows root only.
 */
export function withPrivilege(ctx: PlanContext, runAs: RunAs, line: string): string {
  const { isRoot, runningAs } = ctx.privilege;
  if (runAs === 'root') return isRoot ? line : `sudo ${line}`;
  const { user: serviceUser, webGroup } = ctx.answers;
  // The web server's account shares its group's name on Debian and Ubuntu (www-data).
  const user = runAs === 'web-user' ? webGroup : serviceUser;
  const group = runAs === 'service-user-web-group' ? webGroup : undefined;
  if (runningAs === user && group === undefined) return line;
  const groupFlag = group === undefined ? '' : ` -g ${shellArg(group)}`;
  const runuser = `runuser -u ${shellArg(user)}${groupFlag} -- ${line}`;
  return isRoot ? runuser : `sudo ${runuser}`;
}

/** Programs that must never be cut off: a dpkg stopped while it unpacks leaves "dpkg was interrupted". */
const PACKAGE_MANAGERS = new Set(['apt', 'apt-get', 'aptitude', 'dpkg']);

/**
 * Whether a command line runs apt or dpkg (in any of its `&&`, `;` or `|` parts, after sudo and
 * variable assignments such as DEBIAN_FRONTEND=noninteractive). Such a command is never signalled:
 * a stop waits for it to finish (src/exec/system.ts).
 */
export function runsPackageManager(commandLine: string): boolean {
  return commandLine.split(/&&|\|\||;|\|/).some((part) => {
    const words = part.trim().split(/\s+/);
    const program = words.find((word) => word !== 'sudo' && word !== 'env' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
    return program !== undefined && PACKAGE_MANAGERS.has(program.split('/').pop()!);
  });
}

/** Build a command action; the line is wrapped for privileges here and nowhere else. */
export function command(
  ctx: PlanContext,
  spec: Omit<CommandAction, 'kind' | 'command' | 'timeoutSec'> & { runAs: RunAs; line: string; timeoutSec?: number },
): CommandAction {
  const { runAs, line, timeoutSec, ...rest } = spec;
  return {
    kind: 'command',
    command: withPrivilege(ctx, runAs, line),
    for: { runAs, line },
    timeoutSec: timeoutSec ?? 60,
    ...rest,
  };
}

/** Tag a template literal's result as bilingual text; keeps step files short. */
export function text(en: string, ja: string): Text {
  return { en, ja };
}

/** A literal string as a regular expression source, for checks that expect an exact path. */
export function literalPattern(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether an action runs something other than the guide's command, so that both are shown. The
 * guide types `sudo` before its system commands; run as root the same command has none.
 */
export function differsFromGuide(action: CommandAction): boolean {
  const withoutSudo = (line: string) => line.replace(/^sudo /, '');
  return action.guideCommand !== undefined && withoutSudo(action.guideCommand) !== withoutSudo(action.command);
}

/** Two explanations as one: what this platform changes, then what the wizard does the same everywhere. */
export function joinTexts(...texts: (Text | undefined)[]): Text | undefined {
  const present = texts.filter((t): t is Text => t !== undefined);
  if (present.length === 0) return undefined;
  return { en: present.map((t) => t.en).join(' '), ja: present.map((t) => t.ja).join('') };
}

/** Why a program of the virtualenv is called by its full path: the guide's `source activate` does not last between commands. */
export function byVenvPath(path: string): Text {
  return text(
    `${path} by its full path is what the guide's activated environment means by its name: each command here starts in a fresh shell, where activation would not last.`,
    `${path} をフルパスで呼びます。ガイドが有効化した環境で名前だけで呼ぶものと同じです。ここではコマンドごとに新しいシェルで始まり、有効化が続かないためです。`,
  );
}
