// Guide section 3: install the components with apt (and, on the guide's own system, pip).
import { command, shellLine, text } from '../src/engine/commands.js';
import type { Action, Check, StepDefinition, Text } from '../src/engine/types.js';

/** The apt packages this machine needs; the guide's Python 2 names only where they still exist. */
export function systemPackages(pythonMajor: 2 | 3): string[] {
  return pythonMajor === 2
    ? ['python-dev', 'python-pip', 'nginx']
    : // python3-venv replaces `pip install virtualenv` (PEP 668); build-essential and
      // python3-dev are what `pip install uwsgi` compiles with (pitfalls #4, #6, #8).
      ['python3-dev', 'python3-venv', 'build-essential', 'nginx'];
}

export const packages: StepDefinition = {
  id: 'packages',
  section: 3,
  title: text('Install the components', '部品をインストールする'),
  plan(ctx) {
    const { platform } = ctx;
    const names = systemPackages(platform.pythonMajor);
    const notes: Text[] = [];
    const actions: Action[] = [
      command(ctx, {
        id: 'apt-update',
        runAs: 'root',
        line: 'apt-get update',
        timeoutSec: 600,
        explain: text(
          'Refresh the list of packages apt knows about, so it installs current versions.',
          'apt が知っているパッケージの一覧を最新にし、新しい版が入るようにします。',
        ),
      }),
      command(ctx, {
        id: 'apt-install',
        runAs: 'root',
        // No questions may reach the screen from dpkg: it would wait for an answer nobody sees.
        line: `DEBIAN_FRONTEND=noninteractive ${shellLine('apt-get', 'install', '-y', ...names)}`,
        timeoutSec: 1800,
        guideCommand: 'sudo apt-get install python-dev python-pip nginx',
        whyDifferent:
          platform.pythonMajor === 3
            ? text(
                'Python 2 and its packages are gone from this system. python3-dev holds the headers uWSGI is compiled against, python3-venv replaces virtualenv, build-essential brings the C compiler; -y answers apt\'s question.',
                'このシステムには Python 2 のパッケージがもうありません。python3-dev は uWSGI のコンパイルに使うヘッダー、python3-venv は virtualenv の代わり、build-essential は C コンパイラーです。-y は apt の確認に自動で答えます。',
              )
            : text('-y answers apt\'s question so that nothing waits for input.', '-y は apt の確認に自動で答え、入力待ちで止まらないようにします。'),
        explain: text(
          'Install the Python development files, the tools to build and isolate Python packages, and the nginx web server.',
          'Python の開発用ファイル、Python パッケージを作って隔離するための道具、Web サーバー nginx をインストールします。',
        ),
      }),
    ];
    const checks: Check[] = [
      {
        id: 'packages-installed',
        title: text(`apt packages installed: ${names.join(', ')}`, `apt パッケージがインストール済み: ${names.join(', ')}`),
        probe: { kind: 'packages', names },
        tryThis: text(
          'Read the apt output above; if another apt is running, wait for it and retry. `apt-get -f install` repairs a half-finished install.',
          '上の apt の出力を確認してください。別の apt が動いているなら終わるのを待って再試行を。途中で止まったインストールは `apt-get -f install` で直せます。',
        ),
      },
    ];
    if (platform.pythonMajor === 2) {
      actions.push(
        command(ctx, {
          id: 'pip-virtualenv',
          runAs: 'root',
          line: 'pip install virtualenv',
          timeoutSec: 600,
          explain: text('Install virtualenv, the tool that makes isolated Python environments.', 'Python の隔離環境を作る virtualenv をインストールします。'),
        }),
      );
      checks.push({
        id: 'virtualenv-installed',
        title: text('virtualenv is on PATH', 'virtualenv が PATH にある'),
        probe: { kind: 'command', command: 'virtualenv --version' },
        tryThis: text('Run `sudo pip install virtualenv` and read its error.', '`sudo pip install virtualenv` を実行し、エラーを読んでください。'),
      });
    } else {
      notes.push(
        text(
          'The guide then runs `sudo pip install virtualenv`. Here pip refuses to install into the system Python (PEP 668, "externally-managed-environment"), and python3-venv already provides what virtualenv did, so that command is left out.',
          'ガイドは続けて `sudo pip install virtualenv` を実行しますが、この環境の pip はシステムの Python へのインストールを拒みます (PEP 668 "externally-managed-environment")。virtualenv の役目は python3-venv が果たすので、このコマンドは実行しません。',
        ),
      );
      checks.push({
        id: 'venv-available',
        title: text('Python can create virtual environments (ensurepip)', 'Python が仮想環境を作れる (ensurepip)'),
        probe: { kind: 'command', command: shellLine(platform.systemPython, '-c', 'import ensurepip, venv') },
        tryThis: text(
          'Install python3-venv (on some releases python3.X-venv matching `python3 --version`).',
          'python3-venv をインストールしてください(リリースによっては `python3 --version` に合う python3.X-venv)。',
        ),
      });
    }
    return {
      explain: text(
        'First the system pieces: Python\'s development headers, a way to make isolated Python environments, and nginx, the web server that will face the browsers. apt installs them; this needs root.',
        'まずシステムの部品を入れます。Python の開発用ヘッダー、隔離された Python 環境を作る仕組み、そしてブラウザーの相手をする Web サーバー nginx です。apt で入れるので root 権限が要ります。',
      ),
      notes,
      actions,
      checks,
      probeBeforeRun: true,
    };
  },
};
