// The wrong moves students commonly make when they do a step by hand (hands-on mode, issue 7),
// each recognised by a read-only probe that passes when the mistake is on the machine. The engine
// asks them only while the step's own checks do not pass, and shows the hint of each one found,
// with what its probe saw (a path, a process's directory).
import { appPaths, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext, StepId, WrongMove } from '../src/engine/types.js';

interface Recogniser {
  /** The step during which the student may make this mistake. */
  step: StepId;
  move: (ctx: PlanContext) => WrongMove;
}

/**
 * A probe run as root (through sudo when the wizard is not root): another account's home and the
 * working directories of its processes are hidden from others. It passes when the script prints.
 */
function printsSomething(ctx: PlanContext, script: string): WrongMove['probe'] {
  return { kind: 'command', command: `${withPrivilege(ctx, 'root', shellLine('sh', '-c', script))} | grep .` };
}

/**
 * Where a student's shell is likely to have put a file or directory meant for the app directory:
 * the working directory of every interactive shell on the machine (their other terminal or tmux
 * pane), and the homes of the service user and of root. Prints each place where `name` is found,
 * outside the app directory.
 */
function foundOutsideAppDir(ctx: PlanContext, name: string): WrongMove['probe'] {
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

export const RECOGNISERS: readonly Recogniser[] = [
  // Wrong directory: the venv made where the shell happened to be.
  {
    step: 'virtualenv',
    move: (ctx) => {
      const { appDir, venv } = appPaths(ctx);
      return {
        id: 'venv-in-wrong-directory',
        probe: foundOutsideAppDir(ctx, `${ctx.answers.appName}env`),
        hint: text(
          `A virtualenv was made in another directory than the app's. Your shell was not in ${appDir}: \`cd ${appDir}\` first, then make it again there, so that it is ${venv}. (Remove the stray one with \`rm -r\` on the path below.)`,
          `アプリとは別のディレクトリに仮想環境ができています。シェルが ${appDir} にいませんでした。先に \`cd ${appDir}\` してから作り直し、${venv} になるようにしてください。(迷子の方は下のパスを \`rm -r\` で消せます。)`,
        ),
      };
    },
  },
  // Wrong directory: wsgi.py written where the shell happened to be.
  {
    step: 'wsgi-app',
    move: (ctx) => {
      const { appDir, wsgiPy } = appPaths(ctx);
      return {
        id: 'wsgi-in-wrong-directory',
        probe: foundOutsideAppDir(ctx, 'wsgi.py'),
        hint: text(
          `wsgi.py was written in another directory than the app's: your shell was not in ${appDir}. uWSGI looks for the module wsgi in the directory it starts in, the app directory. Move it: \`mv\` the file below to ${wsgiPy} (owned by ${ctx.answers.user}).`,
          `wsgi.py がアプリとは別のディレクトリに書かれています。シェルが ${appDir} にいませんでした。uWSGI はモジュール wsgi を起動したディレクトリ、つまりアプリのディレクトリで探します。下のファイルを \`mv\` で ${wsgiPy} に移してください (所有者は ${ctx.answers.user})。`,
        ),
      };
    },
  },
  // The apt uwsgi instead of the venv's: installed with apt during the uWSGI step.
  {
    step: 'uwsgi',
    move: (ctx) => ({
      id: 'apt-uwsgi-installed',
      // Not while pip is still compiling: the student may be doing it right and only be waiting.
      // [p]ip: the pattern must not match this script's own command line.
      probe: printsSomething(
        ctx,
        `pgrep -f '[p]ip.* install' >/dev/null || ls -1 /usr/bin/uwsgi /usr/bin/uwsgi-core 2>/dev/null`,
      ),
      hint: text(
        `A uwsgi from apt is on this machine (below). That is Debian's plugin-based uwsgi, outside the virtualenv; the guide installs uWSGI into the virtualenv with its pip: \`${appPaths(ctx).pip} install uwsgi\` (or \`pip install uwsgi\` with the venv activated).`,
        `apt の uwsgi がこのマシンにあります (下記)。これは仮想環境の外にある Debian のプラグイン式 uwsgi です。ガイドでは仮想環境の pip で uWSGI を入れます: \`${appPaths(ctx).pip} install uwsgi\` (または仮想環境を有効にして \`pip install uwsgi\`)。`,
      ),
    }),
  },
  // The venv not activated: pip put uWSGI into the user's ~/.local or the system's site-packages.
  {
    step: 'uwsgi',
    move: (ctx) => {
      const { venv } = appPaths(ctx);
      return {
        id: 'uwsgi-outside-venv',
        probe: printsSomething(
          ctx,
          `ls -1d ~${ctx.answers.user}/.local/bin/uwsgi ~root/.local/bin/uwsgi /usr/local/bin/uwsgi 2>/dev/null`,
        ),
        hint: text(
          `uWSGI was installed outside the virtualenv (below): pip ran without the venv activated. Activate it first (\`source ${venv}/bin/activate\`, the prompt then starts with (${ctx.answers.appName}env)) or call its pip by path, \`${venv}/bin/pip install uwsgi\`. Take the stray one away with \`pip uninstall uwsgi\` outside the venv.`,
          `uWSGI が仮想環境の外に入りました (下記)。仮想環境を有効にせずに pip を実行したためです。先に有効にする (\`source ${venv}/bin/activate\`、プロンプトが (${ctx.answers.appName}env) で始まります) か、pip をパスで呼んでください: \`${venv}/bin/pip install uwsgi\`。迷子の方は仮想環境の外で \`pip uninstall uwsgi\` で消せます。`,
        ),
      };
    },
  },
  // The apt uwsgi running the test: its exe is /usr/bin/uwsgi*.
  {
    step: 'test-run',
    move: (ctx) => ({
      id: 'apt-uwsgi-running',
      probe: printsSomething(
        ctx,
        `for pid in $(pgrep uwsgi); do readlink /proc/$pid/exe; done | grep '^/usr/bin/uwsgi' | sort -u`,
      ),
      hint: text(
        `The uwsgi that runs is Debian's (below), not the virtualenv's: it answers -w with "no app loaded". Stop it with Ctrl-C and start the venv's: \`${appPaths(ctx).uwsgi} --socket 0.0.0.0:${ctx.answers.testPort} --protocol=http -w wsgi\`, or activate the venv first.`,
        `動いている uwsgi は仮想環境のものではなく Debian のもの (下記) です。-w に "no app loaded" と答えます。Ctrl-C で止めて、仮想環境のものを起動してください: \`${appPaths(ctx).uwsgi} --socket 0.0.0.0:${ctx.answers.testPort} --protocol=http -w wsgi\` (または先に仮想環境を有効に)。`,
      ),
    }),
  },
  // Wrong directory for the test run: uWSGI started elsewhere finds no module wsgi.
  {
    step: 'test-run',
    move: (ctx) => {
      const { appDir } = appPaths(ctx);
      return {
        id: 'uwsgi-in-wrong-directory',
        probe: printsSomething(
          ctx,
          `for pid in $(pgrep uwsgi); do readlink /proc/$pid/cwd; done | grep -vxF ${shellArg(appDir)} | sort -u`,
        ),
        hint: text(
          `uWSGI runs in another directory (below) than the app's, so -w wsgi finds no wsgi.py ("no python application found"). Stop it with Ctrl-C, \`cd ${appDir}\`, and start it again there.`,
          `uWSGI がアプリとは別のディレクトリ (下記) で動いているため、-w wsgi が wsgi.py を見つけられません ("no python application found")。Ctrl-C で止め、\`cd ${appDir}\` してからそこで起動し直してください。`,
        ),
      };
    },
  },
  // The site written but not linked into sites-enabled.
  {
    step: 'nginx',
    move: (ctx) => {
      const { siteAvailable, siteEnabled } = appPaths(ctx);
      return {
        id: 'site-not-linked',
        probe: {
          kind: 'command',
          command: `test -e ${shellArg(siteAvailable)} && ! test -L ${shellArg(siteEnabled)} && echo ${shellArg(siteAvailable)}`,
        },
        hint: text(
          `The site is in sites-available but not switched on: nginx reads only sites-enabled. Link it: \`sudo ln -s ${siteAvailable} /etc/nginx/sites-enabled\`, then test and restart nginx.`,
          `サイトは sites-available にありますが有効になっていません。nginx が読むのは sites-enabled だけです。リンクを作ってください: \`sudo ln -s ${siteAvailable} /etc/nginx/sites-enabled\`。その後 nginx を検査して再起動します。`,
        ),
      };
    },
  },
  // A link that points nowhere: `ln -s sites-available/APP …` with a relative path.
  {
    step: 'nginx',
    move: (ctx) => {
      const { siteAvailable, siteEnabled } = appPaths(ctx);
      return {
        id: 'site-link-dangling',
        probe: {
          kind: 'command',
          command: `test -L ${shellArg(siteEnabled)} && ! test -e ${shellArg(siteEnabled)} && readlink ${shellArg(siteEnabled)}`,
        },
        hint: text(
          `${siteEnabled} is a link that points nowhere (to the path below): a relative target is read from sites-enabled itself. Make it again with the full path: \`sudo ln -sfn ${siteAvailable} ${siteEnabled}\`.`,
          `${siteEnabled} はどこも指していないリンクです (指す先は下記)。相対パスの指す先は sites-enabled から見て解釈されます。フルパスで作り直してください: \`sudo ln -sfn ${siteAvailable} ${siteEnabled}\`。`,
        ),
      };
    },
  },
];

/** The wrong moves a student may make in this step, for this plan. */
export function wrongMovesFor(step: StepId, ctx: PlanContext): WrongMove[] {
  return RECOGNISERS.filter((r) => r.step === step).map((r) => r.move(ctx));
}
