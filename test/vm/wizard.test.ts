// The wizard where people deploy (issue 13): Debian 12 and 13 booted with systemd as PID 1
// (guest.ts), no Node inside, the standalone executable copied in and run by accounts that are
// not root. For each suite:
//   fresh   --yes by an account that may sudo only with a password (typed once at the prompt,
//           over ssh -tt in tmux), answers unlike the guide's (app shop, 3 workers, home 700)
//   proof   the page from the host at the guest's address; the unit enabled and active; one
//           master + 3 workers as the account; the socket with the mode and group shown
//   teach   the conclusion's stop / start / log lines, run as written
//   reboot  nobody touches anything: the page answers again
//   again   a second run changes nothing (no file rewritten, the same uWSGI master)
//   second  another app by an account with `ALL=NOPASSWD: ALL` (root only): on bookworm
//           interactively over ssh -t, every command confirmed by keystroke, the service step's
//           screen read; on trixie unattended with plain output and no terminal at all
//   undo    both apps taken back; after another reboot nothing of them starts
// Run: `E2E_ALLOW_SYSTEM_CHANGES=1 npm run test:vm` as root (CI=true works too).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Tmux, log, printScreen, q } from '../e2e/machine.js';
import { SUITES, bootGuest, ensureTree, timed, vmTest, type Guest, type Suite } from './guest.js';
import { EXECUTABLE, IN_GUEST, assertNoPage, assertPage, printTranscript } from './page.js';

const PASSWORD_USER = 'ada';
const PASSWORD = 'Ada sudo 7!';
const NOPASSWD_USER = 'bob';
const SHOP = { app: 'shop', server: 'shop.test', processes: 3, port: 8091 };
const BLOG = { app: 'blog', server: 'blog.test', processes: 2, port: 8092 };

function answers(user: string, app: typeof SHOP): string {
  return [
    '--lang',
    'en',
    '--no-quiz',
    '--user',
    user,
    '--app-name',
    app.app,
    '--server-name',
    app.server,
    '--processes',
    String(app.processes),
    '--test-port',
    String(app.port),
  ]
    .map(q)
    .join(' ');
}

/** uWSGI processes of `user` serving `app`'s ini: [pid, ppid] pairs. */
async function uwsgiProcesses(guest: Guest, user: string, app: string): Promise<{ pid: number; ppid: number }[]> {
  const out = (await guest.run(`ps -o pid=,ppid=,args= -u ${user}`, { quiet: true })).stdout;
  return out
    .split('\n')
    .filter((line) => line.includes(`/${app}env/bin/uwsgi`) && line.includes(`${app}.ini`))
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid]) => ({ pid: Number(pid), ppid: Number(ppid) }));
}

/** What a second run must leave alone: each file's content and change time, and uWSGI's master. */
async function snapshot(guest: Guest, user: string, app: string): Promise<string> {
  const dir = `/home/${user}/${app}`;
  const files = [
    `${dir}/wsgi.py`,
    `${dir}/${app}.ini`,
    `/etc/systemd/system/${app}.service`,
    `/etc/nginx/sites-available/${app}`,
  ];
  const sums = await guest.must(
    `sha256sum ${files.join(' ')} && stat -c '%n %Z %Y' ${files.join(' ')} /etc/nginx/sites-enabled/${app}` +
      ` && systemctl show -p MainPID ${app}`,
    { quiet: true },
  );
  return sums.trim();
}

/**
 * Run the wizard (or `undo`) as the password-sudo account over `ssh -tt` in tmux: the password
 * is typed once at its prompt, then the run goes on by itself (--yes). Returns the exit code and
 * the whole terminal (with its history).
 */
async function runWithPassword(
  tmux: Tmux,
  guest: Guest,
  session: string,
  args: string,
  limitMs: number,
): Promise<{ code: number; screen: string; machine: string[] }> {
  const command = `${IN_GUEST} ${args}; echo EXITED=$?; sleep 3600`;
  tmux.start(session, guest.sshCommandLine(PASSWORD_USER, command), 120, 40);
  const prompt = await tmux.waitFor(
    session,
    'the sudo password prompt',
    (s) => s.includes(`[sudo] password for ${PASSWORD_USER}`),
    60_000,
  );
  printScreen(`${guest.suite}: asked once, before anything runs`, prompt);
  tmux.type(session, PASSWORD);
  tmux.keys(session, 'Enter');
  // The screen may clear what came before it: a second prompt (after "not accepted") is watched
  // for while the run goes on.
  let askedAgain = '';
  // The screen's first line names the machine while the run goes on (it is not kept after it).
  const machine = new Set<string>();
  const screen = await tmux.waitFor(
    session,
    'the end of the run',
    (s) => {
      if (s.includes('password was not accepted') && !askedAgain) askedAgain = s;
      for (const line of s.split('\n')) if (line.startsWith('Machine: ')) machine.add(line.trim());
      return /EXITED=\d+/.test(s);
    },
    limitMs,
  );
  const whole = tmux.capture(session, true);
  tmux.keys(session, 'C-c');
  const code = Number(/EXITED=(\d+)/.exec(screen)![1]);
  if (code !== 0) {
    printScreen(`${guest.suite}: the run failed`, whole);
    await printTranscript(guest, PASSWORD_USER);
  }
  assert.equal(askedAgain, '', 'the password is asked once');
  assert.ok(!whole.includes(PASSWORD), 'the password is not on the screen');
  return { code, screen: whole, machine: [...machine] };
}

/** The logs a person or an administrator reads afterwards: none may hold the password. */
async function assertPasswordInNoLog(guest: Guest): Promise<void> {
  const logs = await guest.run(
    `cat /home/${PASSWORD_USER}/.local/state/uwsgi-nginx-guide/*.log; journalctl --no-pager -q; cat /var/log/nginx/*.log`,
    { quiet: true, timeoutMs: 60_000 },
  );
  assert.ok(logs.stdout.length > 1000, 'the transcripts and the journal were read');
  assert.ok(!logs.stdout.includes(PASSWORD), 'the password is in no log');
}

/**
 * Drive the wizard at the screen as a person does: Enter on every "[Enter] run it / write it /
 * continue / stop it" and on each question's default, until it ends. `onScreen` sees every screen
 * drawn meanwhile (every 100 ms), also those of a command running.
 */
async function confirmEverything(
  tmux: Tmux,
  session: string,
  onScreen: (screen: string) => void,
  limitMs: number,
): Promise<number> {
  const deadline = Date.now() + limitMs;
  let pressedOn = '';
  while (Date.now() < deadline) {
    const screen = tmux.capture(session);
    onScreen(screen);
    const ended = /EXITED=(\d+)/.exec(screen);
    if (ended) return Number(ended[1]);
    if (/\[r\] (retry|check again)/.test(screen)) {
      printScreen('a step failed', tmux.capture(session, true));
      throw new Error('a step failed at the screen');
    }
    // A question with its default, as a person accepts it: "? App directory (/home/bob/blog)".
    const lastLine = screen.trimEnd().split('\n').pop() ?? '';
    const question = /^\? .+\(.*\)\s*$/.test(lastLine);
    const waiting = question || /\[Enter\] (run it|write it|continue|stop it)/.test(screen);
    // The line that names the step and the action: pressing again on the same one would skip ahead.
    const where = question
      ? lastLine
      : screen
          .split('\n')
          .filter((line) => /Step \d+ of \d+|(Command|File) \d+ of \d+|\[Enter\]/.test(line))
          .join('\n');
    if (waiting && where !== pressedOn) {
      pressedOn = where;
      tmux.keys(session, 'Enter');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  printScreen('no end in time', tmux.capture(session, true));
  throw new Error(`the wizard did not end within ${limitMs / 1000} s`);
}

// VM_SUITES=bookworm runs one suite only (while working on it); CI runs both.
const suites = (process.env.VM_SUITES?.split(',') ?? Object.keys(SUITES)) as Suite[];
assert.ok(
  suites.every((suite) => suite in SUITES),
  `VM_SUITES names suites of ${Object.keys(SUITES).join(', ')}`,
);

vmTest('the trees of both suites are built or taken from the cache', async () => {
  assert.ok(existsSync(EXECUTABLE), `${EXECUTABLE} is missing: npm run build makes it`);
  await timed(`trees ${suites.join(' + ')}`, () => Promise.all(suites.map((suite) => ensureTree(suite))));
});

for (const suite of suites) {
  const versionId = SUITES[suite].versionId;
  vmTest(
    `${suite}: the standalone wizard, run by accounts that are not root, sets up a site that survives reboots and is undone`,
    async (t) => {
      const started = Date.now();
      const tmux = new Tmux(`vmwizard${process.pid}${suite}`);
      t.after(() => tmux.killServer());
      const guest = await bootGuest(t, suite);
      assert.equal((await guest.must('ps -p 1 -o comm=')).trim(), 'systemd');

      await guest.createUser(PASSWORD_USER, { password: PASSWORD, sudo: 'password', homeMode: '700' });
      // sudo for root only: no "(ALL:ALL)", so `sudo -u another` is refused; the wizard must not need it.
      await guest.createUser(NOPASSWD_USER, { sudo: `${NOPASSWD_USER} ALL=NOPASSWD: ALL`, homeMode: '750' });
      await guest.copyIn(EXECUTABLE, IN_GUEST, { owner: 'root:root', mode: '755' });
      assert.notEqual((await guest.run('command -v node nodejs')).code, 0, 'no Node in the guest');
      assert.match(await guest.must(`${IN_GUEST} --version`, { user: PASSWORD_USER }), /^\d+\.\d+\.\d+/);

      // --- fresh: unattended, as the password-sudo account ---------------------------------------
      const fresh = await timed(`${suite}: fresh --yes run by ${PASSWORD_USER}`, () =>
        runWithPassword(tmux, guest, 'fresh', `--yes ${answers(PASSWORD_USER, SHOP)}`, 25 * 60_000),
      );
      printScreen(`${suite}: the end of the fresh run`, fresh.screen.split('\n').slice(-40).join('\n'));
      assert.equal(fresh.code, 0, 'the fresh run exits 0');
      log(`the screen's machine line: ${fresh.machine.join(' | ')}`);
      assert.equal(fresh.machine.length, 1, 'one machine line');
      assert.match(
        fresh.machine[0]!,
        new RegExp(`· debian-${versionId} · systemd ·`),
        `the platform is debian-${versionId}, with systemd`,
      );

      // --- proof, from outside ------------------------------------------------------------------
      await assertPage(guest, SHOP.server);
      assert.equal((await guest.run(`systemctl is-enabled ${SHOP.app}`)).stdout.trim(), 'enabled');
      assert.equal((await guest.run(`systemctl is-active ${SHOP.app}`)).stdout.trim(), 'active');
      const workers = await uwsgiProcesses(guest, PASSWORD_USER, SHOP.app);
      const masters = workers.filter((p) => !workers.some((other) => other.pid === p.ppid));
      log(`uWSGI of ${SHOP.app}: ${JSON.stringify(workers)}`);
      assert.equal(masters.length, 1, 'one master');
      assert.equal(workers.length, SHOP.processes + 1, `1 master + ${SHOP.processes} workers, all of ${PASSWORD_USER}`);
      const plan = await guest.must(`${IN_GUEST} --dry-run ${answers(PASSWORD_USER, SHOP)}`, {
        user: PASSWORD_USER,
        quiet: true,
      });
      assert.match(
        plan,
        new RegExp(`socket /run/${SHOP.app}/${SHOP.app}\\.sock exists, mode 664, group www-data`),
        'what the wizard shows',
      );
      assert.equal(
        (await guest.must(`stat -c '%F %a %G' /run/${SHOP.app}/${SHOP.app}.sock`)).trim(),
        'socket 664 www-data',
      );
      await assertPasswordInNoLog(guest);

      // --- what the conclusion teaches, run as it is written ---------------------------------------
      const taught = (label: string) => {
        const line = new RegExp(`^${label}: +sudo (.+)$`, 'm').exec(plan);
        assert.ok(line, `the conclusion says "${label}"`);
        return line[1]!;
      };
      const [stop, start, logs] = [taught('Stop uWSGI'), taught('Start uWSGI'), taught('uWSGI log')];
      assert.deepEqual(
        [stop, start, logs],
        [`systemctl stop ${SHOP.app}`, `systemctl start ${SHOP.app}`, `journalctl -u ${SHOP.app}`],
      );
      assert.match(
        await guest.must(`${logs} --no-pager`),
        /spawned uWSGI worker 3/,
        'the log is where the conclusion says',
      );
      // "After a reboot: systemd starts it again, as it is enabled (systemctl is-enabled shop says so)":
      // the command it names says so here, and the reboot below proves the promise.
      const afterReboot =
        /^After a reboot: systemd starts it again, as it is enabled \((systemctl is-enabled \S+) says so\)\.$/m.exec(
          plan,
        );
      assert.ok(afterReboot, 'the conclusion says what a reboot does');
      assert.equal(afterReboot[1], `systemctl is-enabled ${SHOP.app}`);
      assert.equal((await guest.must(afterReboot[1]!)).trim(), 'enabled');
      await guest.must(stop);
      assert.equal((await uwsgiProcesses(guest, PASSWORD_USER, SHOP.app)).length, 0, 'stopped');
      await assertNoPage(guest, SHOP.server);
      await guest.must(start);
      await assertPage(guest, SHOP.server, 15_000);

      // --- reboot: nobody touches anything --------------------------------------------------------
      await guest.reboot();
      await timed(`${suite}: the page after the reboot`, () => assertPage(guest, SHOP.server, 60_000));
      assert.equal((await guest.run(`systemctl is-active ${SHOP.app}`)).stdout.trim(), 'active');

      // --- a second run changes nothing ----------------------------------------------------------
      const before = await snapshot(guest, PASSWORD_USER, SHOP.app);
      const again = await timed(`${suite}: second --yes run`, () =>
        runWithPassword(tmux, guest, 'again', `--yes ${answers(PASSWORD_USER, SHOP)}`, 10 * 60_000),
      );
      assert.equal(again.code, 0);
      assert.equal(await snapshot(guest, PASSWORD_USER, SHOP.app), before, 'no file rewritten, the same uWSGI master');
      await assertPage(guest, SHOP.server);

      // --- a second app, by a NOPASSWD account ---------------------------------------------------
      if (suite === 'bookworm') {
        await timed(`${suite}: interactive run by ${NOPASSWD_USER} over ssh -t`, async () => {
          tmux.start(
            'blog',
            guest.sshCommandLine(
              NOPASSWD_USER,
              `${IN_GUEST} ${answers(NOPASSWD_USER, BLOG)}; echo EXITED=$?; sleep 3600`,
            ),
            120,
            45,
          );
          // Everything drawn, also what stays on the screen for a fraction of a second.
          const drawn = join(mkdtempSync(join(tmpdir(), 'vm-wizard-')), 'blog.screen');
          t.after(() => rmSync(dirname(drawn), { recursive: true, force: true }));
          tmux.record('blog', drawn);
          const serviceScreens: string[] = [];
          const code = await confirmEverything(
            tmux,
            'blog',
            (screen) => {
              if (/Step 9 of 11/.test(screen) && serviceScreens.at(-1) !== screen) serviceScreens.push(screen);
            },
            25 * 60_000,
          );
          const whole = tmux.capture('blog', true);
          if (code !== 0) await printTranscript(guest, NOPASSWD_USER);
          assert.equal(code, 0, 'the interactive run exits 0');
          assert.ok(!whole.includes('[sudo] password'), 'NOPASSWD: nothing is asked');
          const unit = serviceScreens.find(
            (s) => s.includes(`/etc/systemd/system/${BLOG.app}.service`) && s.includes('[Enter] write it'),
          );
          assert.ok(unit, 'the service step shows the unit file before writing it');
          printScreen(`${suite}: the unit file shown in full`, unit);
          for (const line of [
            '[Unit]',
            `Description=uWSGI instance to serve ${BLOG.app}`,
            `User=${NOPASSWD_USER}`,
            'Group=www-data',
            `RuntimeDirectory=${BLOG.app}`,
            `ExecStart=/home/${NOPASSWD_USER}/${BLOG.app}/${BLOG.app}env/bin/uwsgi`,
            'WantedBy=multi-user.target',
          ]) {
            assert.ok(unit.includes(line), `the unit file on the screen has ${line}`);
          }
          const enable = serviceScreens.find(
            (s) => s.includes(`systemctl enable --now ${BLOG.app}`) && s.includes('[Enter] run it'),
          );
          assert.ok(enable, 'the enable command is shown before it runs');
          printScreen(`${suite}: systemctl enable --now, waiting for Enter`, enable);
          const symlink = /Created symlink .*multi-user\.target\.wants\/blog\.service/;
          assert.match(readFileSync(drawn, 'utf8'), symlink, "systemctl's output was drawn in the pane");
          const enabled = serviceScreens.find((screen) => symlink.test(screen));
          if (enabled) printScreen(`${suite}: systemctl's output in the pane`, enabled);
          // The service check counts every uWSGI serving the app (issue 20) and names the one it found.
          const counted = `✓ uWSGI runs as the service: 1 master \\+ ${BLOG.processes} workers, and no other uWSGI serves the app`;
          assert.match(whole, new RegExp(counted));
          assert.match(whole, new RegExp(`the systemd\\s+service, as\\s+${NOPASSWD_USER}`));
          assert.match(whole, /✓ socket \/run\/blog\/blog\.sock exists, mode 664, group www-data/);
          tmux.keys('blog', 'C-c');
        });
      } else {
        await timed(`${suite}: unattended plain run by ${NOPASSWD_USER}, no terminal`, async () => {
          const run = await guest.run(`${IN_GUEST} --yes ${answers(NOPASSWD_USER, BLOG)}`, {
            user: NOPASSWD_USER,
            echo: `${suite} blog│ `,
            timeoutMs: 25 * 60_000,
          });
          if (run.code !== 0) await printTranscript(guest, NOPASSWD_USER);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, new RegExp(`^Machine: .* · debian-${versionId} · systemd ·`, 'm'));
          assert.match(run.stdout, /✓ \[service\] done/);
        });
      }
      await assertPage(guest, BLOG.server);
      await assertPage(guest, SHOP.server);

      // --- undo, then nothing starts after a reboot ----------------------------------------------
      const undo = await timed(`${suite}: undo ${SHOP.app}`, () =>
        runWithPassword(
          tmux,
          guest,
          'undo',
          `undo --yes --lang en --app-name ${SHOP.app} --user ${PASSWORD_USER}`,
          5 * 60_000,
        ),
      );
      assert.equal(undo.code, 0, 'undo exits 0');
      const undoBlog = await guest.run(
        `${IN_GUEST} undo --yes --lang en --app-name ${BLOG.app} --user ${NOPASSWD_USER}`,
        { user: NOPASSWD_USER, echo: `${suite} undo│ ` },
      );
      assert.equal(undoBlog.code, 0, undoBlog.stderr);
      for (const app of [SHOP.app, BLOG.app]) {
        const status = await guest.run(`systemctl status ${app} --no-pager`);
        assert.equal(status.code, 4, `systemctl status ${app}: no such unit`);
        assert.match(status.stderr, new RegExp(`Unit ${app}\\.service could not be found`));
        assert.notEqual((await guest.run(`test -e /etc/systemd/system/${app}.service`)).code, 0, 'no unit file');
        assert.notEqual(
          (await guest.run(`test -e /etc/nginx/sites-enabled/${app} -o -L /etc/nginx/sites-enabled/${app}`)).code,
          0,
          'no site',
        );
        assert.notEqual((await guest.run(`test -e /run/${app}/${app}.sock`)).code, 0, 'no socket');
      }
      await guest.reboot();
      for (const [user, app] of [
        [PASSWORD_USER, SHOP],
        [NOPASSWD_USER, BLOG],
      ] as const) {
        assert.deepEqual(
          await uwsgiProcesses(guest, user, app.app),
          [],
          `nothing of ${app.app} starts after the reboot`,
        );
        await assertNoPage(guest, app.server);
      }
      assert.equal((await guest.run('pgrep -c uwsgi')).stdout.trim(), '0', 'no uWSGI at all');
      log(`${suite}: the whole run in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
    { timeout: 60 * 60_000 },
  );
}
