// The one catalogue of messages (src/ui/labels.ts) and how an error reaches the person: a fixable
// one with its "Try:" line in their language and its exit code, anything else as our bug.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/app/common.js';
import { explainFailure } from '../../src/app/failure.js';
import { UserError } from '../../src/app/user-error.js';
import { InvalidAnswerError } from '../../src/engine/answers.js';
import { PackageManagerBusyError, RunLockError, WizardBusyError } from '../../src/exec/run-lock.js';
import { RecordingError } from '../../src/simulate/recording.js';
import { LABELS } from '../../src/ui/labels.js';
import { fakeSurroundings } from '../fake-surroundings.js';

type Message = (p: unknown) => unknown;
/** Words that only English needs (its plural), read by the English message alone. */
const GRAMMAR = ['many'];
/** Facts that choose between the sentences of one message (how this machine does a fix), not shown themselves. */
const CHOOSERS = ['groupFrom', 'broken', 'fixBy', 'wizardSettings', 'reason'];

/** Every function in the catalogue, by its path, with its counterpart in the other language. */
function messages(en: unknown, ja: unknown, path = ''): { path: string; en: Message; ja: Message }[] {
  if (typeof en === 'function') return [{ path, en: en as Message, ja: ja as Message }];
  if (typeof en !== 'object' || en === null) return [];
  return Object.keys(en).flatMap((key) =>
    messages((en as Record<string, unknown>)[key], (ja as Record<string, unknown>)[key], `${path}.${key}`),
  );
}

/** Call a message with a placeholder object that notes which placeholders it reads. */
function render(message: Message): { text: string; read: string[] } {
  const read = new Set<string>();
  const params = new Proxy(
    {},
    {
      get: (_, key) => {
        read.add(String(key));
        return `«${String(key)}»`;
      },
    },
  );
  const said = message(params) as string | { message: string; tryThis?: string };
  const text = typeof said === 'string' ? said : `${said.message}\n${said.tryThis ?? ''}`;
  return { text, read: [...read].sort() };
}

describe('the catalogue', () => {
  const all = messages(LABELS.en, LABELS.ja);

  it('has messages with placeholders (the test below has something to check)', () => {
    assert.ok(all.length > 30, `${all.length} messages`);
  });

  it('every message reads the same placeholders in both languages, and shows each it reads', () => {
    for (const { path, en, ja } of all) {
      assert.equal(typeof ja, 'function', `${path}: a function in ja too`);
      const english = render(en);
      const japanese = render(ja);
      const meaning = (read: string[]) => read.filter((key) => !GRAMMAR.includes(key));
      assert.deepEqual(meaning(japanese.read), meaning(english.read), `${path}: the same placeholders`);
      for (const [lang, said] of [
        ['en', english],
        ['ja', japanese],
      ] as const) {
        // A flag (many), a chooser (CHOOSERS) or an optional part (log) decides words; every other value is shown.
        for (const key of said.read.filter((k) => ![...GRAMMAR, ...CHOOSERS].includes(k) && k !== 'log')) {
          assert.ok(said.text.includes(`«${key}»`), `${path} (${lang}) shows ${key}: ${said.text}`);
        }
        assert.doesNotMatch(said.text, /\{\w+\}/, `${path} (${lang}): no placeholder left to replace`);
      }
    }
  });

  it('a fixable message carries what to try as a field, in both languages', () => {
    const en = LABELS.en.sudo.noTerminal({ user: 'demo' });
    const ja = LABELS.ja.sudo.noTerminal({ user: 'demo' });
    assert.match(en.message, /Nothing was changed\.$/);
    assert.match(en.tryThis, /^run it in a terminal/);
    assert.match(ja.message, /何も変更していません。$/);
    assert.ok(ja.tryThis.length > 0 && !/[A-Za-z]{6}/.test(ja.tryThis.replace(/ssh -t|root/g, '')));
  });
});

describe('explainFailure', () => {
  it("says a UserError in the person's language with its Try: line, and exits with its code", () => {
    const error = UserError.of((l) => l.cli.noTerminal());
    const en = fakeSurroundings();
    assert.equal(explainFailure(en.s, error), EXIT.badInput);
    assert.equal(
      en.stderr.text,
      'uwsgi-nginx-guide: there is no terminal to confirm each command in. Nothing was changed.\n' +
        'Try: run it in a terminal, or add --yes to run every step unattended (--dry-run shows them first).\n',
    );
    const ja = fakeSurroundings();
    ja.s.argv = ['node', 'uwsgi-nginx-guide', '--lang', 'ja'];
    explainFailure(ja.s, error);
    assert.match(
      ja.stderr.text,
      /^uwsgi-nginx-guide: コマンドを一つずつ確認できる端末がありません。.*\n次を試してください: /,
    );
  });

  it('takes the language from the locale when --lang is not on the command line', () => {
    const fake = fakeSurroundings();
    fake.s.locale = 'ja_JP.UTF-8';
    explainFailure(
      fake.s,
      UserError.of((l) => l.cli.noTerminal()),
    );
    assert.match(fake.stderr.text, /次を試してください: /);
  });

  it('a busy machine exits 75, an unsafe run lock 2, both with what to try', () => {
    const busy = fakeSurroundings();
    assert.equal(explainFailure(busy.s, new WizardBusyError('/run/lock/x', 4242)), EXIT.busy);
    assert.match(busy.stderr.text, /\(pid 4242\).*\nTry: wait for it to finish/s);
    const unsafe = fakeSurroundings();
    const error = new RunLockError('/tmp/x', { kind: 'foreign-owner', uid: 1000 });
    assert.equal(explainFailure(unsafe.s, error), EXIT.badInput);
    assert.match(unsafe.stderr.text, /belongs to uid 1000, not to you \(uid 0\)/);
  });

  it('a command left installing packages by a killed run: busy (75), with the wait to try, no bug log', () => {
    const installing = fakeSurroundings();
    assert.equal(explainFailure(installing.s, new PackageManagerBusyError('/run/lock/x', 4343)), EXIT.busy);
    assert.match(
      installing.stderr.text,
      /\(process group 4343\) is still installing packages with apt or dpkg.*\nTry: wait for the package manager to finish/s,
    );
    assert.deepEqual(installing.bugReports, [], 'not taken for a bug');
  });

  it('a refused answer names the field in the person language and points to --help', () => {
    const fake = fakeSurroundings();
    fake.s.argv = ['node', 'uwsgi-nginx-guide', '--lang=ja'];
    const error = new InvalidAnswerError('processes', LABELS.en.reasons.atMost64);
    assert.equal(explainFailure(fake.s, error), EXIT.badInput);
    assert.equal(
      fake.stderr.text,
      `uwsgi-nginx-guide: --processes: ${LABELS.ja.reasons.atMost64}\n${LABELS.ja.nothingChangedTryHelp}\n`,
    );
  });

  it('Ctrl-C at a question exits 130 saying that nothing was changed, in either language', () => {
    const interrupted = () =>
      Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    const en = fakeSurroundings();
    assert.equal(explainFailure(en.s, interrupted()), EXIT.interrupted);
    assert.match(en.stderr.text, /^uwsgi-nginx-guide: Stopped at a question \(Ctrl-C\): nothing was changed\./);
    const ja = fakeSurroundings();
    ja.s.argv = ['node', 'uwsgi-nginx-guide', '--lang', 'ja'];
    assert.equal(explainFailure(ja.s, interrupted()), EXIT.interrupted);
    assert.match(ja.stderr.text, /何も変更していません/);
    assert.equal(en.bugReports.length + ja.bugReports.length, 0, 'not taken for a bug');
  });

  it('a recording that cannot be replayed is explained in Japanese under --lang ja (issue 15, item 11)', () => {
    const fake = fakeSurroundings();
    fake.s.argv = ['node', 'uwsgi-nginx-guide', '--simulate', '--lang', 'ja'];
    const error = new RecordingError({ kind: 'version', source: 'r.json', version: '9', reads: '1, 2' });
    assert.equal(explainFailure(fake.s, error), EXIT.badInput);
    assert.match(fake.stderr.text, /r\.json はバージョン 9 の記録です/);
    assert.doesNotMatch(fake.stderr.text, /is a recording of version/);
  });

  it('anything else is our bug: said as ours with where its stack is kept, exit 70', () => {
    const fake = fakeSurroundings();
    const bug = new TypeError('cannot read properties of undefined');
    assert.equal(explainFailure(fake.s, bug), EXIT.bug);
    assert.equal(
      fake.stderr.text,
      'uwsgi-nginx-guide: this is a bug in uwsgi-nginx-guide, please report it with ' +
        '/state/uwsgi-nginx-guide/bug.log: TypeError: cannot read properties of undefined\n',
    );
    assert.equal(fake.bugReports.length, 1);
    assert.ok(fake.bugReports[0]!.includes(bug.stack!), 'the stack is in the log');
  });

  it('a bug whose log cannot be written has its stack said instead', () => {
    const fake = fakeSurroundings();
    fake.s.machine.keepBugReport = () => undefined;
    const bug = new Error('boom');
    explainFailure(fake.s, bug);
    assert.ok(fake.stderr.text.includes(bug.stack!), fake.stderr.text);
  });
});
