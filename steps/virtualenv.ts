// Guide section 4 (first half): the app directory and its virtual environment.
import { appPaths, command, literalPattern, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { defineStep } from './step.js';
import { foundOutsideAppDir } from './wrong-moves.js';
import { asServiceUser } from './hands-on.js';

export const virtualenv = defineStep({
  id: 'virtualenv',
  section: 4,
  title: text('The app directory and its virtualenv', 'アプリのディレクトリと virtualenv'),
  plan(ctx) {
    const p = appPaths(ctx);
    const { appName } = ctx.answers;
    const guideTool = ctx.platform.venvTool === 'virtualenv';
    return {
      explain: text(
        [
          `The app gets its own directory, ${p.appDir}. Inside it, ${appName}env is a virtual`,
          'environment: a private copy of Python whose packages stay out of the system Python.',
          '',
          `By hand you would "activate" it (source ${appName}env/bin/activate) so that python and pip`,
          'point into it, and "deactivate" to leave. The wizard runs each command in a fresh shell,',
          `where activation would not last, so it calls the programs by their full path instead:`,
          `${p.venvBin}/pip is exactly what pip means once the environment is active.`,
        ].join('\n'),
        [
          `アプリ専用のディレクトリ ${p.appDir} を作り、その中に仮想環境 ${appName}env を置きます。`,
          '仮想環境は Python の私用コピーで、入れたパッケージはシステムの Python に混ざりません。',
          '',
          `手作業なら source ${appName}env/bin/activate で「有効化」して python や pip がその中を指す`,
          'ようにし、deactivate で抜けます。ウィザードはコマンドごとに新しいシェルで実行するため有効化が',
          `続きません。そこで、プログラムをフルパスで呼びます。${p.venvBin}/pip は、有効化した後の`,
          'pip とまったく同じものです。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        command(ctx, {
          id: 'mkdir-app',
          runAs: 'service-user',
          line: shellLine('mkdir', '-p', p.appDir),
          // rmdir, not rm -r: undo must never take files the person put there themselves.
          effects: [{ kind: 'creates', path: p.appDir, made: 'directory', runAs: 'service-user' }],
          guideCommand: `mkdir ~/${appName}/`,
          whyDifferent: text(
            '-p makes it harmless to run again when the directory exists.',
            '-p を付けると、ディレクトリがすでにあっても失敗しません。',
          ),
          explain: text(
            'Create the application directory, owned by the service user.',
            'サービスユーザーが所有するアプリのディレクトリを作ります。',
          ),
        }),
        command(ctx, {
          id: 'create-venv',
          runAs: 'service-user',
          cwd: p.appDir,
          line: guideTool
            ? shellLine('virtualenv', `${appName}env`)
            : shellLine(ctx.platform.systemPython, '-m', 'venv', p.venv),
          effects: [{ kind: 'creates', path: p.venv, made: 'tree', runAs: 'service-user' }],
          timeoutSec: 300,
          // The guide's `cd ~/APP` is the directory the command runs in.
          guideCommand: `virtualenv ${appName}env`,
          whyDifferent: guideTool
            ? undefined
            : text(
                `Python 3 has virtualenv built in as \`python3 -m venv\`. It is called by its full path, ${ctx.platform.systemPython}, so that the system Python is used even where pyenv or another python3 comes first on PATH.`,
                `Python 3 には virtualenv と同じ機能が \`python3 -m venv\` として組み込まれています。PATH の先頭に pyenv などの別の python3 があってもシステムの Python を使うよう、${ctx.platform.systemPython} とフルパスで呼びます。`,
              ),
          explain: text(
            `Create the virtual environment ${appName}env inside the app directory.`,
            `アプリのディレクトリの中に仮想環境 ${appName}env を作ります。`,
          ),
        }),
      ],
      checks: [
        {
          id: 'venv-python',
          title: text(`the venv's python runs from ${p.venv}`, `仮想環境の python が ${p.venv} から動く`),
          probe: {
            kind: 'command',
            command: withPrivilege(ctx, 'service-user', shellLine(p.python, '-c', 'import sys; print(sys.prefix)')),
            expectOutput: `^${literalPattern(p.venv)}\\s*$`,
          },
          tryThis: text(
            `"ensurepip is not available" means ${ctx.platform.venvPackage ?? 'python3-venv'} is missing: install it, remove the half-made ${p.venv}, and retry.`,
            `"ensurepip is not available" と出たら ${ctx.platform.venvPackage ?? 'python3-venv'} がありません。インストールし、作りかけの ${p.venv} を消してから再試行してください。`,
          ),
        },
        {
          id: 'venv-pip',
          title: text('the venv has its own pip', '仮想環境に専用の pip がある'),
          probe: { kind: 'file', path: p.pip, executable: true },
          tryThis: text(
            `Remove ${p.venv} and run this step again; a venv made without ensurepip has no pip.`,
            `${p.venv} を消してこのステップをやり直してください。ensurepip なしで作られた仮想環境には pip がありません。`,
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  whatToDo(ctx) {
    const p = appPaths(ctx);
    const { appName } = ctx.answers;
    return text(
      `${asServiceUser(ctx).en}, make the directory ${p.appDir}, go into it with cd, and create the virtual environment ${appName}env there with the system Python's venv module.`,
      `${asServiceUser(ctx).ja}、ディレクトリ ${p.appDir} を作って cd で中に入り、そこでシステムの Python の venv モジュールを使って仮想環境 ${appName}env を作ります。`,
    );
  },
  wrongMoves: [
    // Wrong directory: the venv made where the shell happened to be.
    (ctx) => {
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
  ],
});
