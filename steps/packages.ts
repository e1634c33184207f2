// Guide section 3: install the components with apt (and, on the guide's own system, pip).
import { APT_LOCK_WAIT_SEC, aptLockWait } from '../src/engine/apt-lock.js';
import { command, joinTexts, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { Action, Check, PlanContext, Platform, Text } from '../src/engine/types.js';
import { printsNothing } from './pitfalls.js';
import { defineStep } from './step.js';
import { fromWheel } from './uwsgi.js';

/** Why this platform installs other packages than the guide's `python-dev python-pip nginx`. */
function whyOtherPackages(platform: Platform): Text | undefined {
  if (platform.venvTool === 'virtualenv') return undefined;
  const roles = text(
    `${platform.pythonDevPackage} holds the headers uWSGI is compiled against, python3-venv replaces virtualenv, build-essential brings the C compiler.`,
    `${platform.pythonDevPackage} は uWSGI のコンパイルに使うヘッダー、python3-venv は virtualenv の代わり、build-essential は C コンパイラーです。`,
  );
  return joinTexts(
    platform.python2Packages
      ? text(
          "The guide's python-dev and python-pip are Python 2, which this release still carries but which reached its end of life in 2020: the wizard uses the system's Python 3.",
          'ガイドの python-dev と python-pip は Python 2 用です。このリリースにはまだありますが、Python 2 は 2020 年にサポートが終わっているため、ウィザードはシステムの Python 3 を使います。',
        )
      : text(
          "The guide's python-dev and python-pip are Python 2 packages, which this release no longer has.",
          'ガイドの python-dev と python-pip は Python 2 のパッケージで、このリリースにはもうありません。',
        ),
    roles,
  );
}

/** Why `sudo pip install virtualenv` is left out where Python 3's venv makes the environment. */
function whyNoVirtualenv(platform: Platform): Text {
  return platform.externallyManaged
    ? text(
        'The guide then runs `sudo pip install virtualenv`. Here pip refuses to install into the system Python (PEP 668, "externally-managed-environment"), and python3-venv already provides what virtualenv did, so that command is left out.',
        'ガイドは続けて `sudo pip install virtualenv` を実行しますが、この環境の pip はシステムの Python へのインストールを拒みます (PEP 668 "externally-managed-environment")。virtualenv の役目は python3-venv が果たすので、このコマンドは実行しません。',
      )
    : text(
        "The guide then runs `sudo pip install virtualenv`. Python 3 has virtualenv's job built in (its venv module, from python3-venv), and installing with sudo pip would mix packages from PyPI into the Python that apt manages, so that command is left out.",
        'ガイドは続けて `sudo pip install virtualenv` を実行します。Python 3 には virtualenv の役目が venv モジュールとして組み込まれており (python3-venv)、sudo pip でのインストールは apt が管理する Python に PyPI のパッケージを混ぜてしまうため、このコマンドは実行しません。',
      );
}

/** What finishes the work of a dpkg that was cut off. */
const CONFIGURE_ALL = 'DEBIAN_FRONTEND=noninteractive dpkg --configure -a';

function configureAll(ctx: PlanContext): string {
  return withPrivilege(ctx, 'root', 'dpkg --configure -a');
}

/** Why apt is told to wait for another apt's lock (apt busy: pitfall of a fresh cloud server). */
const whyLockWait = text(
  `-o DPkg::Lock::Timeout=${APT_LOCK_WAIT_SEC} makes apt wait up to ${APT_LOCK_WAIT_SEC / 60} minutes when another apt holds its lock (on a fresh cloud server, often the automatic updates), instead of failing at once; the wizard says who holds it, and q stops the wait.`,
  `-o DPkg::Lock::Timeout=${APT_LOCK_WAIT_SEC} は、別の apt がロックを持っているとき (できたばかりのクラウドサーバーでは自動更新が多い) にすぐ失敗せず、最大 ${APT_LOCK_WAIT_SEC / 60} 分待つようにします。誰が持っているかはウィザードが示し、q で待つのをやめられます。`,
);

/**
 * What apt installs for this plan: the platform's packages, without the Python headers and the C compiler where
 * uWSGI comes prebuilt (`--uwsgi-from wheel`) and nothing else is compiled. A person's own project keeps them: its
 * requirements may hold packages pip compiles.
 */
export function plannedAptPackages(ctx: PlanContext): string[] {
  const { platform } = ctx;
  if (!fromWheel(ctx) || ctx.ownApp) return platform.aptPackages;
  const compiling = new Set([platform.pythonDevPackage, 'build-essential']);
  return platform.aptPackages.filter((name) => !compiling.has(name));
}

/** Why the compiler and the headers are left out with `--uwsgi-from wheel`. */
function whyNoCompiler(ctx: PlanContext): Text | undefined {
  const left = ctx.platform.aptPackages.filter((name) => !plannedAptPackages(ctx).includes(name));
  if (left.length === 0) return undefined;
  return text(
    `${left.join(' and ')} are left out: with --uwsgi-from wheel pip installs uWSGI prebuilt, so nothing is compiled.`,
    `${left.join(' と ')} は入れません。--uwsgi-from wheel では pip がビルド済みの uWSGI を入れるので、何もコンパイルしないからです。`,
  );
}

export const packages = defineStep({
  id: 'packages',
  section: 3,
  title: text('Install the components', '部品をインストールする'),
  plan(ctx) {
    const { platform } = ctx;
    const names = plannedAptPackages(ctx);
    // The headers and the compiler stay unless --uwsgi-from wheel left them out.
    const compiles = names.length === platform.aptPackages.length;
    const notes: Text[] = [];
    // Where apt can, it waits for another apt's lock (apt busy) instead of failing at once.
    const aptGet = platform.aptWaitsForLock ? `apt-get ${aptLockWait()}` : 'apt-get';
    const actions: Action[] = [
      command(ctx, {
        id: 'apt-update',
        runAs: 'root',
        // Not told to wait: apt-get update takes the lists' lock, which apt never waits for (apt 2.6
        // has no option for it). The wizard waits for it instead, asking apt again (engine/session.ts).
        line: 'apt-get update',
        timeoutSec: 600,
        explain: text(
          'Refresh the list of packages apt knows about, so it installs current versions.',
          'apt が知っているパッケージの一覧を最新にし、新しいバージョンが入るようにします。',
        ),
      }),
      command(ctx, {
        id: 'apt-install',
        runAs: 'root',
        // No questions may reach the screen from dpkg: it would wait for an answer nobody sees.
        line: `DEBIAN_FRONTEND=noninteractive ${aptGet} ${shellLine('install', '-y', ...names)}`,
        timeoutSec: 1800,
        guideCommand: 'sudo apt-get install python-dev python-pip nginx',
        whyDifferent: joinTexts(
          whyOtherPackages(platform),
          whyNoCompiler(ctx),
          text(
            "-y answers apt's question, so that nothing waits for an answer nobody sees.",
            '-y は apt の確認に自動で答え、誰も見ていない入力待ちで止まらないようにします。',
          ),
          platform.aptWaitsForLock ? whyLockWait : undefined,
        ),
        explain: compiles
          ? text(
              'Install the Python development files, the tools to build and isolate Python packages, and the nginx web server.',
              'Python の開発用ファイル、Python パッケージを作って隔離するための道具、Web サーバー nginx をインストールします。',
            )
          : text(
              'Install what isolates Python packages and the nginx web server (uWSGI comes prebuilt: nothing to compile).',
              'Python パッケージを隔離するための道具と Web サーバー nginx をインストールします (uWSGI はビルド済みなので、コンパイルするものはありません)。',
            ),
      }),
    ];
    const checks: Check[] = [
      {
        id: 'packages-installed',
        title: text(
          `apt packages installed: ${names.join(', ')}`,
          `apt パッケージがインストール済み: ${names.join(', ')}`,
        ),
        probe: { kind: 'packages', names },
        tryThis: text(
          'Read the apt output above; if another apt is running, wait for it and retry. `apt-get -f install` repairs a half-finished install.',
          '上の apt の出力を確認してください。別の apt が動いているなら終わるのを待って再試行を。途中で止まったインストールは `apt-get -f install` で直せます。',
        ),
      },
    ];
    if (platform.venvTool === 'virtualenv') {
      actions.push(
        command(ctx, {
          id: 'pip-virtualenv',
          runAs: 'root',
          line: 'pip install virtualenv',
          timeoutSec: 600,
          guideCommand: 'sudo pip install virtualenv',
          explain: text(
            'Install virtualenv, the tool that makes isolated Python environments.',
            'Python の隔離環境を作る virtualenv をインストールします。',
          ),
        }),
      );
      checks.push({
        id: 'virtualenv-installed',
        title: text('virtualenv is on PATH', 'virtualenv が PATH にある'),
        probe: { kind: 'command', command: 'virtualenv --version' },
        tryThis: text(
          'Run `sudo pip install virtualenv` and read its error.',
          '`sudo pip install virtualenv` を実行し、エラーを読んでください。',
        ),
      });
    } else {
      notes.push(whyNoVirtualenv(platform));
      checks.push({
        id: 'venv-available',
        title: text('Python can create virtual environments (ensurepip)', 'Python が仮想環境を作れる (ensurepip)'),
        probe: { kind: 'command', command: shellLine(platform.systemPython, '-c', 'import ensurepip, venv') },
        tryThis: text(
          `Install python3-venv, or ${platform.venvPackage}, the package for this Python that it stands for.`,
          `python3-venv、またはそれが指すこの Python 用のパッケージ ${platform.venvPackage} をインストールしてください。`,
        ),
      });
    }
    return {
      explain: compiles
        ? text(
            "First the system pieces: Python's development headers, a way to make isolated Python environments, and nginx, the web server that will face the browsers. apt installs them; this needs root.",
            'まずシステムの部品を入れます。Python の開発用ヘッダー、隔離された Python 環境を作る仕組み、そしてブラウザーの相手をする Web サーバー nginx です。apt で入れるので root 権限が要ります。',
          )
        : text(
            'First the system pieces: a way to make isolated Python environments, and nginx, the web server that will face the browsers. apt installs them; this needs root.',
            'まずシステムの部品を入れます。隔離された Python 環境を作る仕組みと、ブラウザーの相手をする Web サーバー nginx です。apt で入れるので root 権限が要ります。',
          ),
      notes,
      actions,
      checks,
      probeBeforeRun: true,
      // Packages installed for another site or app say nothing about this one (progress.ts, reconcile).
      machineWide: true,
    };
  },
  pitfalls: [
    {
      // A run killed while dpkg worked (a closed terminal, a reboot, Ctrl-C on an older wizard)
      // leaves apt refusing everything: "E: dpkg was interrupted, you must manually run 'dpkg
      // --configure -a' to correct the problem."
      check: (ctx) => ({
        id: 'dpkg-unfinished',
        title: text('dpkg has no work left unfinished', 'dpkg にやりかけの作業が残っていない'),
        found: text(
          'dpkg has work left unfinished: an earlier apt or dpkg was cut off in the middle.',
          'dpkg にやりかけの作業が残っています。以前の apt か dpkg が途中で止められました。',
        ),
        // dpkg --audit names the packages left half-installed or half-configured; a file in
        // updates/ is what apt reads as "dpkg was interrupted".
        probe: { kind: 'command', command: printsNothing('{ dpkg --audit; find /var/lib/dpkg/updates -type f; }') },
        tryThis: text(
          `An earlier apt or dpkg was cut off in the middle ("dpkg was interrupted"), and apt installs nothing until dpkg has finished that work. The wizard first offers \`${configureAll(ctx)}\`, which finishes it: you confirm it (with --yes it runs), and the run log keeps what it printed.`,
          `以前の apt か dpkg が途中で止められています ("dpkg was interrupted")。dpkg がその作業を終えるまで apt は何もインストールしません。ウィザードはまず、それを終わらせる \`${configureAll(ctx)}\` を示します。確認すると実行します (--yes なら確認なしで実行)。出力は実行ログに残ります。`,
        ),
      }),
      fix: (ctx) =>
        command(ctx, {
          id: 'dpkg-configure-pending',
          runAs: 'root',
          line: CONFIGURE_ALL,
          timeoutSec: 1800,
          explain: text(
            'Let dpkg finish what an interrupted run left half-done (it unpacks and configures those packages), so that apt can install again. DEBIAN_FRONTEND=noninteractive: no question may wait on a screen nobody sees.',
            '途中で止められた実行が残した作業を dpkg に終わらせます (そのパッケージの展開と設定)。これで apt がまたインストールできるようになります。DEBIAN_FRONTEND=noninteractive は、誰も見ていない画面で質問が待ち続けないようにするためです。',
          ),
        }),
    },
  ],
  whatToDo: (ctx) =>
    text(
      `Use apt, with sudo: first refresh its package list, then install the packages named below (${plannedAptPackages(ctx).join(', ')}).`,
      `sudo を付けて apt を使います。まずパッケージ一覧を更新し、次に下に示したパッケージ (${plannedAptPackages(ctx).join(', ')}) を入れます。`,
    ),
});
