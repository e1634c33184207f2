// Guide section 4 (second half): uWSGI installed with pip inside the virtualenv.
import { appPaths, command, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { StepDefinition } from '../src/engine/types.js';

export const uwsgi: StepDefinition = {
  id: 'uwsgi',
  section: 4,
  title: text('Install uWSGI into the virtualenv', '仮想環境に uWSGI を入れる'),
  plan(ctx) {
    const p = appPaths(ctx);
    return {
      explain: text(
        [
          'pip installs the package named "uwsgi" into the virtual environment. Despite the lower-case',
          'name it is the uWSGI server, not the protocol.',
          '',
          'pip downloads uWSGI\'s source and compiles it with gcc against the Python headers: expect a',
          'minute or more of compiler output. Then `uwsgi --version` proves the server is usable.',
        ].join('\n'),
        [
          'pip で "uwsgi" というパッケージを仮想環境に入れます。小文字の名前ですが、これはプロトコルでは',
          'なく uWSGI サーバーそのものです。',
          '',
          'pip は uWSGI のソースを取ってきて、Python のヘッダーを使い gcc でコンパイルします。コンパイラー',
          'の出力が 1 分以上続くことがあります。最後に `uwsgi --version` で使えることを確かめます。',
        ].join('\n'),
      ),
      notes: [
        text(
          `The guide types \`pip install uwsgi\` and \`uwsgi --version\` inside the activated environment. The wizard calls ${p.pip} and ${p.uwsgi} by full path, which is the same program, and cannot pick up a system-wide uwsgi from apt by mistake.`,
          `ガイドは有効化した環境で \`pip install uwsgi\` と \`uwsgi --version\` を打ちます。ウィザードは ${p.pip} と ${p.uwsgi} をフルパスで呼びます。同じプログラムであり、apt で入ったシステムの uwsgi を誤って使うこともありません。`,
        ),
      ],
      actions: [
        command(ctx, {
          id: 'pip-install-uwsgi',
          runAs: 'service-user',
          cwd: p.appDir,
          // --verbose shows the compiler at work; without it pip is silent for the whole build.
          line: shellLine(p.pip, 'install', '--verbose', 'uwsgi'),
          timeoutSec: 1800,
          guideCommand: 'pip install uwsgi',
          whyDifferent: text(
            '--verbose lets you watch uWSGI being compiled instead of a silent minute.',
            '--verbose を付けると、無言の 1 分間ではなく uWSGI がコンパイルされる様子が見えます。',
          ),
          explain: text('Download and build uWSGI inside the virtualenv.', 'uWSGI をダウンロードして仮想環境の中でビルドします。'),
        }),
        command(ctx, {
          id: 'uwsgi-version',
          runAs: 'service-user',
          cwd: p.appDir,
          line: shellLine(p.uwsgi, '--version'),
          guideCommand: 'uwsgi --version',
          explain: text('Ask the new uWSGI for its version: a number means it is ready.', 'できた uWSGI に版を尋ねます。番号が出れば使えます。'),
        }),
      ],
      checks: [
        {
          id: 'uwsgi-version',
          title: text(`${p.uwsgi} --version prints a version`, `${p.uwsgi} --version が版を表示する`),
          probe: { kind: 'command', command: withPrivilege(ctx, 'service-user', shellLine(p.uwsgi, '--version')), expectOutput: '^\\d+\\.\\d+' },
          tryThis: text(
            '"Python.h: No such file or directory" means python3-dev is missing; "gcc: not found" means build-essential is. Install them and retry.',
            '"Python.h: No such file or directory" なら python3-dev が、"gcc: not found" なら build-essential がありません。入れてから再試行してください。',
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
};
