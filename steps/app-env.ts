// A person's own project (issue 17): its settings and secrets in an environment file, KEY=value
// lines readable by the service user alone, that the service reads at its start; and the small
// script that gives the same variables to every command run for the app (the import's proof,
// Django's manage.py). Its values are never shown: not in the plan, the checks, the log or the report.
import { shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import type { PlanContext } from '../src/engine/types.js';
import { ownApp, pipedCommand, readingSource, sourceReader } from './app-code.js';
import { defineStep, right, wrong } from './step.js';

/**
 * The script: each `KEY=value` line exported as it is (the value may hold spaces; no quotes are removed, as the
 * service's readers do not), blank lines and `#` comments skipped, then the command run.
 */
export function withEnvSource(envFile: string): string {
  return [
    '#!/bin/sh',
    '# Runs a command with the variables of the environment file, as the service gets them.',
    `# Written by uwsgi-nginx-guide: edit ${envFile}, not this.`,
    'while IFS= read -r line || [ -n "$line" ]; do',
    '    case $line in',
    "        ''|'#'*) ;;",
    '        *=*) export "$line" ;;',
    '    esac',
    `done < ${shellArg(envFile)}`,
    'exec "$@"',
    '',
  ].join('\n');
}

/** A command line for the app, run by the service user with the environment file's variables. */
export function withAppEnv(ctx: PlanContext, ...words: string[]): string {
  return shellLine(ownAppPaths(ctx, ownApp(ctx)).withEnv, ...words);
}

/** The environment file's keys, each value hidden: what a check may print of it. */
function keysOnly(envFile: string): string {
  return `sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1=…/p' ${shellArg(envFile)}`;
}

export const appEnv = defineStep({
  id: 'app-env',
  section: 5,
  title: text("Your app's settings and secrets", 'アプリの設定と秘密'),
  applies: (ctx) => ctx.ownApp !== undefined,
  plan(ctx) {
    const o = ownAppPaths(ctx, ownApp(ctx));
    const { user } = ctx.answers;
    const dotEnv = `${o.source}/.env`;
    const reader = sourceReader(ctx);
    const fill = withPrivilege(
      ctx,
      'service-user',
      shellLine('sh', '-c', 'umask 077; test -s "$1" || cat > "$1"; chmod 600 "$1"', 'sh', o.envFile),
    );
    return {
      explain: text(
        [
          'Settings that differ per server, and secrets (a SECRET_KEY, a database password), do not',
          `belong in the code. They go into ${o.envFile}: one KEY=value per line, readable by ${user}`,
          'alone (mode 600). The service reads it when it starts, and every command the wizard runs for',
          `the app gets the same variables through ${o.withEnv}.`,
          '',
          `At first it holds your project's .env, if it has one. Edit it as ${user} to add more; the`,
          'wizard never shows the values, only the names.',
        ].join('\n'),
        [
          'サーバーごとに違う設定や秘密 (SECRET_KEY やデータベースのパスワード) はコードに入れません。',
          `${o.envFile} に 1 行 1 つ KEY=value の形で書き、読めるのは ${user} だけにします (モード 600)。`,
          `サービスは起動時にこれを読み、ウィザードがアプリのために実行するコマンドも ${o.withEnv} を通して`,
          '同じ変数を受け取ります。',
          '',
          `最初はプロジェクトの .env があればその中身を入れます。増やすときは ${user} として編集してください。`,
          'ウィザードが示すのは名前だけで、値は決して表示しません。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        pipedCommand({
          id: 'write-env-file',
          // The values go through a pipe, never through a command line or the screen.
          command: `${readingSource(ctx, shellLine('sh', '-c', 'if test -e "$1"; then cat "$1"; fi', 'sh', dotEnv))} | ${fill}`,
          effects: [{ kind: 'creates', path: o.envFile, made: 'file', runAs: 'service-user' }],
          explain: text(
            `Create ${o.envFile} as ${user}, mode 600, from ${dotEnv} when there is one. A file that already has variables is kept as it is.`,
            `${o.envFile} を ${user} として、モード 600 で作ります。${dotEnv} があればその中身を入れます。すでに変数の入ったファイルはそのままにします。`,
          ),
        }),
        {
          kind: 'file',
          id: 'write-with-env',
          path: o.withEnv,
          content: withEnvSource(o.envFile),
          owner: user,
          group: ctx.userGroup,
          mode: 0o755,
          explain: text(
            `A small script that runs a command with the variables of ${o.envFile}: the proof that your app imports and Django's manage.py run through it, with what the service will have.`,
            `${o.envFile} の変数を入れてコマンドを実行する小さなスクリプトです。アプリがインポートできることの確認や Django の manage.py はこれを通して、サービスと同じ変数で実行します。`,
          ),
        },
      ],
      checks: [
        {
          id: 'env-file-private',
          title: text(`${o.envFile} is ${user}'s, mode 600`, `${o.envFile} は ${user} のもので、モード 600`),
          probe: { kind: 'file', path: o.envFile, owner: user, mode: 0o600 },
          tryThis: text(
            `Others could read your secrets. \`chmod 600 ${o.envFile}\` as ${user}, or run this step again.`,
            `他の人に秘密を読まれるおそれがあります。${user} として \`chmod 600 ${o.envFile}\` を実行するか、このステップをやり直してください。`,
          ),
        },
        {
          id: 'env-file-readable',
          title: text(
            `${user} reads ${o.envFile} (the names it sets, values hidden)`,
            `${user} が ${o.envFile} を読める (設定する名前だけ、値は伏せる)`,
          ),
          probe: { kind: 'command', command: withPrivilege(ctx, 'service-user', keysOnly(o.envFile)) },
          tryThis: text(
            `The file must belong to ${user}: run this step again.`,
            `ファイルは ${user} のものでなければなりません。このステップをやり直してください。`,
          ),
        },
        {
          // A .env the reader may not open would leave the environment file empty without a word from the pipe;
          // an environment file with variables in it (handed over by the person, as the try-this says) is enough.
          id: 'dot-env-read',
          title: text(
            `${dotEnv} could be read by ${reader.en} (or there is none)`,
            `${dotEnv} を ${reader.ja} が読めた (または存在しない)`,
          ),
          probe: {
            kind: 'command',
            command: readingSource(
              ctx,
              shellLine('sh', '-c', 'test -s "$2" || test ! -e "$1" || test -r "$1"', 'sh', dotEnv, o.envFile),
            ),
          },
          tryThis: text(
            `${reader.en} may not read ${dotEnv}. Hand its secrets over yourself, then run this step again: \`sudo install -o ${user} -m 600 ${dotEnv} ${o.envFile}\`.`,
            `${reader.ja} は ${dotEnv} を読めません。秘密を自分で渡してから、このステップをやり直してください: \`sudo install -o ${user} -m 600 ${dotEnv} ${o.envFile}\``,
          ),
        },
        {
          id: 'with-env-runs',
          title: text(`${o.withEnv} runs a command`, `${o.withEnv} でコマンドを実行できる`),
          probe: {
            kind: 'command',
            command: withPrivilege(ctx, 'service-user', shellLine(o.withEnv, 'true')),
          },
          tryThis: text(
            `A line of ${o.envFile} is not KEY=value with a name of letters, digits and _ ("bad variable name"): fix it as ${user}.`,
            `${o.envFile} に KEY=value の形でない行か、英数字と _ 以外を含む名前があります ("bad variable name")。${user} として直してください。`,
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  quiz: [
    {
      id: 'secrets-file',
      question: text(
        "Why do the app's secrets go into a file of mode 600 rather than into the ini or the unit?",
        'アプリの秘密を ini やユニットではなく、モード 600 のファイルに入れるのはなぜですか?',
      ),
      choices: [
        wrong(
          text('uWSGI cannot read variables from its ini', 'uWSGI は ini から変数を読めないから'),
          text(
            'It can (env = KEY=value), but the ini is readable by everyone on the machine (mode 644), and so is the unit.',
            '読めます (env = KEY=value)。しかし ini はマシンの誰でも読め (モード 644)、ユニットも同じです。',
          ),
        ),
        wrong(
          text('Variables in a file make the app start faster', 'ファイルの変数の方がアプリの起動が速いから'),
          text(
            'Where the variables come from makes no difference to speed; who can read them does to safety.',
            '変数をどこから読んでも速さは変わりません。安全に効くのは、誰が読めるかです。',
          ),
        ),
        right(
          text(
            'Only the service account can read it, and the code and its configuration can be shown or shared without them',
            '読めるのはサービスのアカウントだけで、コードや設定を見せたり共有したりしても秘密は漏れない',
          ),
          text(
            "The ini, the unit and the code are read by many; the secrets stay in one file that only the app's account reads.",
            'ini・ユニット・コードは多くの人が読みます。秘密はアプリのアカウントだけが読む一つのファイルにとどめます。',
          ),
        ),
      ],
    },
  ],
});
