// The app's account from the command line (issue 21, part 2), run from the shipped file: root
// unattended needs --allow-root, --dry-run warns of root, and root is never the plan's default.
// Every run that is not a --dry-run also names a web group that does not exist: were a refusal
// ever missed, the run would still stop there, before it runs anything on this machine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cannotIsolate, IS_ROOT, personEnv, runShipped } from '../cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-account-'));
after(() => rmSync(work, { recursive: true, force: true }));
const env = personEnv(join(work, 'state'));
const NO_GROUP = ['--web-group', 'e2enosuchgroup'];
const PLAN = ['--dry-run', '--platform', 'debian-12', '--server-name', 'example.com', '--app-name', 'rootless'];
const WARNING = /^Warning: the app would run as root\. uWSGI and the app's code .* every right on this machine/m;

describe("the app's account on the command line", () => {
  it('--user root with --yes is refused (exit 2) before anything runs, with what to try', {
    skip: cannotIsolate,
  }, () => {
    const run = runShipped(['--user', 'root', '--yes', '--lang', 'en', ...NO_GROUP], env);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^uwsgi-nginx-guide: --user root with --yes would run the app's code as root/);
    assert.match(
      run.stderr,
      /Nothing was changed\.\nTry: a normal account: --user demo \(create it first: adduser demo\); or, if you do mean root, add --allow-root\.\n$/,
    );
    assert.doesNotMatch(run.stderr, /e2enosuchgroup/, 'refused for root, before the answers are looked at further');
    const ja = runShipped(['--user', 'root', '--yes', '--lang', 'ja', ...NO_GROUP], env);
    assert.equal(ja.status, 2, ja.stderr);
    assert.match(ja.stderr, /--yes で --user root とすると.*\n次を試してください: .*--allow-root を付けてください。/);
  });

  it('an answers file saying user: root counts as --user root', { skip: cannotIsolate }, () => {
    const answers = join(work, 'root.yaml');
    writeFileSync(answers, 'user: root\nserver-name: example.com\n');
    const run = runShipped(['--answers', answers, '--yes', '--lang', 'en', ...NO_GROUP], env);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /--user root with --yes would run the app's code as root/);
  });

  it('--allow-root lets --user root through, with the warning (here the next refusal is the missing group)', {
    skip: cannotIsolate,
  }, () => {
    const run = runShipped(['--user', 'root', '--yes', '--allow-root', '--lang', 'en', ...NO_GROUP], env);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, WARNING);
    assert.doesNotMatch(run.stderr, /would run the app's code as root, with every right on this machine, and nobody/);
    assert.match(run.stderr, /--web-group: there is no group "e2enosuchgroup"/);
  });

  it('--dry-run --user root prints the plan (exit 0) and the warning on stderr, --yes --allow-root or not', () => {
    for (const more of [[], ['--yes', '--allow-root']]) {
      const run = runShipped([...PLAN, '--user', 'root', '--lang', 'en', ...more], env);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^# Plan for: Debian GNU\/Linux 12/);
      assert.match(run.stdout, /^run: mkdir -p \/root\/rootless$/m);
      assert.match(run.stderr, WARNING);
      assert.match(
        run.stderr,
        /^Planning only: a run asks you to confirm root at the question, or, with --yes, needs --allow-root\.$/m,
      );
    }
    const ja = runShipped([...PLAN, '--user', 'root', '--lang', 'ja'], env);
    assert.equal(ja.status, 0, ja.stderr);
    assert.match(ja.stderr, /^注意: アプリが root として動きます。/m);
  });

  it('as root, --dry-run without --user plans for a normal account, or, on a machine with none, for root with the warning', {
    skip: !IS_ROOT && 'as root only',
  }, () => {
    const run = runShipped([...PLAN, '--lang', 'en'], env);
    assert.equal(run.status, 0, run.stderr);
    // As root, the app's directory is made by root for root, else through runuser for its account.
    const made = /^run: (?:runuser -u (\S+) -- )?mkdir -p (\S+)$/m.exec(run.stdout);
    assert.ok(made, run.stdout);
    if (made[1] === undefined) assert.match(run.stderr, WARNING, 'root, and said so');
    else assert.doesNotMatch(run.stderr, WARNING);
    // Through sudo: the account that ran it (any existing one; daemon is on every Debian).
    const viaSudo = runShipped([...PLAN, '--lang', 'en'], { ...env, SUDO_USER: 'daemon' });
    assert.equal(viaSudo.status, 0, viaSudo.stderr);
    assert.match(viaSudo.stdout, /^run: runuser -u daemon -- mkdir -p /m);
  });

  it('--help names --allow-root', () => {
    const help = runShipped(['--help'], env);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--allow-root\s+with --yes: let --user root run the app's code as\s+root/);
    assert.match(help.stdout, /never root\)/);
  });
});
