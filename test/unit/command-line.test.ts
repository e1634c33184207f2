// A command line commander refuses (an unknown option, a missing or wrong value, a stray word) is
// said in the person's language, exit 2, nothing done (issue 15, item 11): commander's own
// sentences are English only. Run from the shipped file, as a person types it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { personEnv, runShipped } from '../cli-run.js';
import { englishSentences } from '../ui/english-scan.js';

const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-command-line-'));
after(() => rmSync(state, { recursive: true, force: true }));

function refused(args: string[], lang: string) {
  const run = runShipped(args, personEnv(state, { LANG: lang }));
  assert.equal(run.status, 2, `${args.join(' ')}: exit 2 (input refused)\n${run.stderr}`);
  assert.equal(run.stdout, '', 'nothing on stdout: no help page pushing the refusal off the screen');
  return run.stderr;
}

const MISTAKES: { args: string[]; ja: RegExp; en: RegExp }[] = [
  {
    args: ['--app-nam', 'shop'],
    ja: /--app-nam というオプションはありません \(--app-name のことですか\?\)。何も変更していません。/,
    en: /there is no option --app-nam \(did you mean --app-name\?\)\. Nothing was changed\./,
  },
  {
    args: ['--user'],
    ja: /--user の後に値を書いてください。/,
    en: /--user needs a value after it\./,
  },
  {
    args: ['--lang', 'fr'],
    ja: /--lang に "fr" は指定できません \(指定できるのは ja, en\)。/,
    en: /--lang does not take "fr"; it takes ja, en\./,
  },
  {
    args: ['stauts'],
    ja: /"stauts" というコマンドはありません \(コマンドは `status`, `doctor`, `glossary`, `undo`, `deploy`, `report`, `export`\)。/,
    en: /there is no command "stauts" \(the commands are `status`, `doctor`, `glossary`, `undo`, `deploy`, `report`, `export`\)\./,
  },
  {
    args: ['status', 'extra'],
    ja: /status には "extra" を書く場所がありません。/,
    en: /status has no place for "extra"\./,
  },
];

describe('a command line commander refuses', () => {
  for (const { args, ja, en } of MISTAKES) {
    it(`"${args.join(' ')}" is refused in Japanese under LANG=ja_JP.UTF-8, with no English sentence`, () => {
      const said = refused(args, 'ja_JP.UTF-8');
      assert.match(said, ja);
      assert.deepEqual(englishSentences(said, []), []);
    });

    it(`"${args.join(' ')}" is refused in English otherwise, exit 2`, () => {
      assert.match(refused(args, 'C.UTF-8'), en);
    });
  }

  it('--lang ja before the mistake decides the language, whatever LANG says', () => {
    const said = refused(['--lang', 'ja', '--yse'], 'C.UTF-8');
    assert.match(said, /--yse というオプションはありません \(--yes のことですか\?\)/);
  });

  it("points to the --help of the command that was typed: the subcommand's own for its options", () => {
    assert.match(refused(['undo', '--bogus'], 'C.UTF-8'), /\nTry: uwsgi-nginx-guide undo --help\n/);
    assert.match(refused(['--bogus'], 'ja_JP.UTF-8'), /\n次を試してください: uwsgi-nginx-guide --help\n/);
  });

  it('doctor --help hides the run’s own flags: --processes, --test-port, --app-source, --app-module', () => {
    const env = personEnv(state, { LANG: 'C.UTF-8' });
    const doctor = runShipped(['doctor', '--help'], env);
    assert.equal(doctor.status, 0, doctor.stderr);
    assert.match(doctor.stdout, /--server-name <name>/);
    assert.match(doctor.stdout, /--fix/);
    assert.doesNotMatch(doctor.stdout, /--processes|--test-port|--app-source|--app-module/);
    // The wizard's and status's --help still list them.
    for (const args of [['--help'], ['status', '--help']])
      assert.match(
        runShipped(args, env).stdout,
        /--processes <n>[\s\S]*--test-port <port>[\s\S]*--app-source <path>[\s\S]*--app-module <spec>/,
      );
  });

  it('export --help does not list --app-source and --app-module, which export refuses; it lists --processes', () => {
    const env = personEnv(state, { LANG: 'C.UTF-8' });
    const help = runShipped(['export', '--help'], env);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--processes <n>[\s\S]*--format <format>/);
    assert.doesNotMatch(help.stdout, /--app-source|--app-module/);
    // Still taken, to be refused with export's own words rather than as an unknown option.
    const given = runShipped(['export', '--format', 'shell', '--platform', 'debian-12', '--app-source', '/x'], env);
    assert.equal(given.status, 2);
    assert.doesNotMatch(given.stderr, /there is no option/);
    assert.match(given.stderr, /\/x/, 'the refusal names the project given');
  });

  it('--help and --version still answer, exit 0', () => {
    const env = personEnv(state, { LANG: 'ja_JP.UTF-8' });
    const help = runShipped(['status', '--help'], env);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: uwsgi-nginx-guide status \[options\]/);
    assert.equal(runShipped(['--version'], env).status, 0);
  });
});
