// The whole guide, for real, on this machine: apt packages, a venv, `pip install uwsgi` compiled
// from PyPI, uWSGI as a service, nginx on port 80 and the page through it. Then the same again
// (nothing may change), then a person at a real terminal (tmux), then everything made is removed.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2euser, apps e2eapp and
// e2etty, test ports 8181 and 8282): other apps on the machine (myapp, demo, …) are never touched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CLI,
  EXIT_BUSY,
  curlPage,
  gidOf,
  heading,
  listening,
  log,
  must,
  plannedFiles,
  plannedLinks,
  printScreen,
  processesOf,
  q,
  reloadNginx,
  refusal,
  removeApp,
  removeUser,
  runWizard,
  sh,
  stat,
  statusLines,
  summaryStatuses,
  timingTable,
  Tmux,
  uidOf,
  waitForRunLock,
  type WizardRun,
} from './machine.js';

const USER = 'e2euser';
const HOME = `/home/${USER}`;
const WEB_GROUP = 'www-data';

// The unattended run: every answer differs from the guide's defaults (myapp, 5 processes, 8080).
const APP = 'e2eapp';
const SERVER = 'e2e.example.test';
const PROCESSES = 3;
const TEST_PORT = 8181;
const ANSWERS = [
  '--app-name',
  APP,
  '--user',
  USER,
  '--server-name',
  SERVER,
  '--processes',
  String(PROCESSES),
  '--test-port',
  String(TEST_PORT),
  '--lang',
  'en',
];
const APP_DIR = `${HOME}/${APP}`;
const INI = `${APP_DIR}/${APP}.ini`;
const SOCKET = `/run/${APP}/${APP}.sock`;
const PID_FILE = `/run/${APP}/${APP}.pid`;

// The keyboard run: another app and test port, so that it cannot clash with the one above.
const TTY_APP = 'e2etty';
const TTY_SERVER = 'tty.example.test';
const TTY_PORT = 8282;
const TTY_PROCESSES = 2;
const TTY_DIR = `${HOME}/${TTY_APP}`;
/** Asked after the answers at a terminal (issue 17), as inquirer shows it with its default. */
const OWN_APP_QUESTION = "? Deploy your own Flask or Django project instead of the guide's hello world? (y/N)";
const TMUX_SOCKET = 'uwsgi-guide-e2e';
const TTY_SESSION = 'e2e-keyboard';

/** Steps whose result the wizard can ask the machine about before running anything. */
const PROBED_STEPS = ['packages', 'virtualenv', 'uwsgi', 'wsgi-app', 'ini', 'service', 'nginx'];
/** Commands that change the system: none may run when everything is already done. */
const CHANGING = [
  /\bapt(-get)?\b/,
  /\bmkdir\b/,
  /-m venv\b/,
  /\bpip install\b/,
  /\bln\b/,
  /\binstall -d\b/,
  /--daemonize\b/,
  /\bservice\b/,
  /\bsystemctl\b/,
  /\bnginx\b/,
];

const reason = refusal();

if (reason) {
  log(`uwsgi-nginx-guide e2e: SKIPPED — ${reason}.`);
  test('end-to-end: the guide run for real on this machine', { skip: reason }, () => undefined);
} else {
  test('end-to-end: the guide run for real on this machine', async (t) => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build first (npm run build)`);
    const work = mkdtempSync('/tmp/uwsgi-guide-e2e-');
    const tmux = new Tmux(TMUX_SOCKET);
    // The wizard's progress record and transcripts (XDG_STATE_HOME), away from root's own.
    const STATE = join(work, 'state');
    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      tmux.killServer();
      let sitesChanged = false;
      for (const app of [APP, TTY_APP]) sitesChanged = (await removeApp(app, USER)) || sitesChanged;
      if (sitesChanged) reloadNginx();
      await removeUser(USER);
      for (const path of [
        HOME,
        `/run/${APP}`,
        `/run/${TTY_APP}`,
        `/etc/nginx/sites-enabled/${APP}`,
        `/etc/nginx/sites-enabled/${TTY_APP}`,
      ]) {
        if (sh(`test -e ${q(path)} || test -L ${q(path)}`).code === 0) log(`cleanup: ${path} is still there`);
      }
    };
    // Leftovers of an earlier run that was killed before its own clean-up.
    await cleanUp('before');
    t.after(async () => {
      await cleanUp('after');
      rmSync(work, { recursive: true, force: true });
    });

    let installed: WizardRun | undefined;

    await t.test(
      "a. a new service user; the wizard with --yes and answers other than the guide's completes (exit 0)",
      async () => {
        heading(`a. adduser ${USER}; the wizard --yes, unattended, stdout piped`);
        must(`adduser --disabled-password --gecos "" ${USER}`);
        // Debian 12's adduser makes homes private (DIR_MODE=0700); make sure of it whatever adduser.conf says.
        must(`chmod 700 ${HOME}`);
        assert.equal(stat(HOME).mode, '0700', `${HOME} must be private, as Debian 12 makes homes`);
        log(`${HOME}: mode ${stat(HOME).mode}, owner ${stat(HOME).owner}`);

        const run = await runWizard(['--yes', ...ANSWERS], { env: { XDG_STATE_HOME: STATE } });
        log(`\n${timingTable('a. time per step, first --yes run', run)}`);
        assert.equal(run.code, 0, `the wizard exited ${run.code ?? run.signal}; stderr:\n${run.stderr}`);
        const statuses = summaryStatuses(run);
        assert.equal(statuses.size, 11, `the summary names 11 steps: ${[...statuses.keys()].join(' ')}`);
        for (const [id, status] of statuses)
          assert.match(status, /^(done|already done)$/, `step ${id} ended "${status}"`);
        assert.match(run.stdout, /^\$ .*pip install --verbose uwsgi/m, 'the run shows the pip install of uWSGI');
        assert.match(run.stdout, /Successfully installed uwsgi/, 'pip installed uWSGI');
        // This machine runs no service manager: an unattended run must say so too (issue 15, item 1).
        assert.match(
          run.stdout,
          /^⚠ uWSGI will NOT start again by itself after a reboot: .*start it with: .*uwsgi --ini /m,
          'the summary warns that a reboot ends uWSGI, with the command that starts it',
        );
        assert.match(readFileSync(run.logPath!, 'utf8'), /^⚠ uWSGI will NOT start again/m, 'and so does the log');
        installed = run;
      },
    );

    await t.test(
      'b. from outside the wizard: the page through nginx, 1 master + 3 workers, the socket, nginx -t, every file as --dry-run showed it',
      { skip: !installed && 'the first run failed' },
      async () => {
        heading('b. the machine, looked at from outside the wizard');
        const page = curlPage(SERVER);
        log(`$ curl -s -H 'Host: ${SERVER}' http://127.0.0.1/\n${page.stdout}`);
        assert.equal(page.code, 0, `curl exited ${page.code}: ${page.stderr}`);
        assert.match(page.stdout, /Hello There!/);

        // uWSGI: the master of the pidfile and exactly PROCESSES workers under it, as e2euser, group www-data.
        const uid = uidOf(USER)!;
        const wwwData = gidOf(WEB_GROUP)!;
        const uwsgi = processesOf(uid).filter((p) => p.cmdline.includes(`--ini ${INI}`));
        const masterPid = Number(readFileSync(PID_FILE, 'utf8').trim());
        log(`uWSGI processes of ${USER} (uid ${uid}), pidfile ${PID_FILE} says ${masterPid}:`);
        for (const p of uwsgi) log(`  pid ${p.pid} ppid ${p.ppid} gid ${p.gid}: ${p.cmdline}`);
        const pgrep = sh(`pgrep -u ${USER} -f ${q(`${APP}/${APP}\\.ini`)}`);
        log(`$ pgrep -u ${USER} -f '${APP}/${APP}\\.ini'\n${pgrep.stdout.trim()}`);
        assert.equal(uwsgi.length, PROCESSES + 1, `1 master + ${PROCESSES} workers`);
        assert.equal(pgrep.stdout.trim().split('\n').length, PROCESSES + 1, 'pgrep counts the same');
        const master = uwsgi.filter((p) => p.pid === masterPid);
        const workers = uwsgi.filter((p) => p.ppid === masterPid);
        assert.equal(master.length, 1, 'the master is the process of the pidfile');
        assert.equal(workers.length, PROCESSES, `${PROCESSES} workers are its children`);
        for (const p of uwsgi) assert.equal(p.gid, wwwData, `process ${p.pid} runs with group ${WEB_GROUP}`);

        const socket = must(`stat -c '%F|%a|%G' ${SOCKET}`).trim();
        log(`${SOCKET}: ${socket}`);
        assert.equal(socket, `socket|664|${WEB_GROUP}`);

        const nginxTest = sh('nginx -t');
        log(`$ nginx -t → exit ${nginxTest.code}\n${nginxTest.stderr.trim()}`);
        assert.equal(nginxTest.code, 0);

        // The files, against what --dry-run shows for the same answers.
        const dryRun = await runWizard(['--dry-run', ...ANSWERS], { prefix: 'dry-run│ ' });
        assert.equal(dryRun.code, 0);
        const files = plannedFiles(dryRun.stdout);
        const links = plannedLinks(dryRun.stdout);
        log(
          `--dry-run shows ${files.length} files: ${files.map((f) => f.path).join(', ')}; links: ${links.map((l) => `${l.link} → ${l.target}`).join(', ')}`,
        );
        assert.deepEqual(
          files.map((f) => f.path).sort(),
          [`${APP_DIR}/wsgi.py`, INI, `/etc/nginx/sites-available/${APP}`].sort(),
          'the plan writes wsgi.py, the ini and the nginx site',
        );
        assert.deepEqual(links, [
          { target: `/etc/nginx/sites-available/${APP}`, link: `/etc/nginx/sites-enabled/${APP}` },
        ]);
        // The run wrote exactly those files, and showed each as the plan does (its plain output prints each file it
        // writes).
        const shown = plannedFiles(installed!.stdout, '  > ');
        assert.deepEqual(
          shown.map((f) => f.path).sort(),
          files.map((f) => f.path).sort(),
          'the run wrote the files the plan shows',
        );
        for (const file of shown)
          assert.deepEqual(
            file,
            files.find((f) => f.path === file.path),
            `the run showed ${file.path} as --dry-run does`,
          );
        for (const file of files) {
          const actual = stat(file.path);
          const shown = `${file.owner}:${file.group}, ${file.mode}`;
          log(
            `${file.path}: owner ${actual.owner}:${actual.group}, mode ${actual.mode} (shown: ${shown}), ` +
              `${file.content.length} bytes`,
          );
          assert.equal(readFileSync(file.path, 'utf8'), file.content, `${file.path} holds what --dry-run showed`);
          assert.deepEqual(
            [actual.owner, actual.group, actual.mode, actual.type],
            [file.owner, file.group, file.mode, 'regular file'],
            `${file.path}: owner, group and mode as shown`,
          );
        }
        for (const { target, link } of links) {
          const it = stat(link, false);
          log(`${link}: ${it.type} → ${readlinkSync(link)} (owner ${it.owner}:${it.group})`);
          assert.equal(it.type, 'symbolic link');
          assert.equal(readlinkSync(link), target);
          assert.equal(
            readFileSync(link, 'utf8'),
            files.find((f) => f.path === target)?.content,
            `${link} leads to the site shown`,
          );
        }
      },
    );

    await t.test(
      'c. run again with --yes: everything probed is already done, nothing that changes the system runs, the page still answers',
      { skip: !installed && 'the first run failed' },
      async () => {
        heading('c. the same answers again: idempotence');
        const uid = uidOf(USER)!;
        const mastersBefore = readFileSync(PID_FILE, 'utf8').trim();
        // The same account running it again: the same state directory (progress record, transcripts).
        const run = await runWizard(['--yes', ...ANSWERS], { env: { XDG_STATE_HOME: STATE } });
        log(`\n${timingTable('c. time per step, second --yes run', run)}`);
        assert.equal(run.code, 0, `the wizard exited ${run.code ?? run.signal}; stderr:\n${run.stderr}`);

        const reported = statusLines(run);
        for (const id of PROBED_STEPS)
          assert.equal(
            reported.get(id),
            '✓ already done',
            `step ${id} reports "✓ [${id}] already done" (it printed: ${reported.get(id) ?? 'nothing'})`,
          );

        // What ran, by the plain output and by the transcript: only the throwaway test-run uWSGI.
        const shownCommands = run.lines.filter((l) => l.text.startsWith('$ ')).map((l) => l.text);
        const shownFiles = run.lines.filter((l) => /^File: /.test(l.text)).map((l) => l.text);
        assert.ok(run.logPath && existsSync(run.logPath), `the transcript ${run.logPath} exists`);
        const transcript = readFileSync(run.logPath!, 'utf8');
        const ran = [...transcript.matchAll(/^== \[([a-z0-9-]+)\] \$ (.+)$/gm)].map((m) => ({
          step: m[1]!,
          command: m[2]!,
        }));
        const writes = [...transcript.matchAll(/^== \[([a-z0-9-]+)\] write (.+)$/gm)].map((m) => `[${m[1]}] ${m[2]}`);
        log(
          `transcript ${run.logPath}:\n  commands: ${ran.map((r) => `[${r.step}] ${r.command}`).join('\n            ') || '(none)'}\n  writes: ${writes.join(', ') || '(none)'}`,
        );
        assert.deepEqual(writes, [], 'no file is written');
        assert.deepEqual(shownFiles, [], 'no file is shown as written');
        for (const { step, command } of ran) {
          assert.equal(step, 'test-run', `only the test run may run a command; [${step}] ran: ${command}`);
          assert.match(command, new RegExp(`uwsgi --socket 0\\.0\\.0\\.0:${TEST_PORT} --protocol=http -w wsgi$`));
          for (const changing of CHANGING)
            assert.doesNotMatch(command, changing, `a command that changes the system ran: ${command}`);
        }
        assert.equal(
          shownCommands.length,
          ran.length,
          `the plain output shows the same commands: ${shownCommands.join(' | ')}`,
        );
        assert.ok(!listening(TEST_PORT), `port ${TEST_PORT} is free again`);

        const page = curlPage(SERVER);
        log(`$ curl -s -H 'Host: ${SERVER}' http://127.0.0.1/\n${page.stdout}`);
        assert.match(page.stdout, /Hello There!/);
        assert.equal(
          readFileSync(PID_FILE, 'utf8').trim(),
          mastersBefore,
          'the same uWSGI master still serves (not restarted)',
        );
        assert.equal(processesOf(uid).filter((p) => p.cmdline.includes(`--ini ${INI}`)).length, PROCESSES + 1);
      },
    );

    await t.test(
      'd. a person at a real terminal (tmux): answers the questions, confirms with Enter, skips one command with s, quits with q',
      { skip: !installed && 'the first run failed (packages and the user are needed)' },
      async () => {
        heading(`d. the interactive wizard in tmux (${TTY_APP}, test port ${TTY_PORT})`);
        const s = TTY_SESSION;
        // ink draws only the last frame when it believes it runs in CI: the person's terminal has no CI variable.
        const command = [
          'env -u CI -u CONTINUOUS_INTEGRATION',
          `XDG_STATE_HOME=${q(join(work, 'state-d'))}`,
          q(process.execPath),
          q(CLI),
          `--app-name ${TTY_APP} --user ${USER} --server-name ${TTY_SERVER} --lang en`,
          '; echo "E2E-EXIT=$?"; sleep 86400',
        ].join(' ');
        const has =
          (...parts: (string | RegExp)[]) =>
          (screen: string) =>
            parts.every((p) => (typeof p === 'string' ? screen.includes(p) : p.test(screen)));
        // The output pane under the spinner while a command runs ("" when none runs).
        const livePane = (screen: string) => /\n\S running \d+\.\ds\n([\s\S]*)$/.exec(screen)?.[1] ?? '';
        const expectOn = (screen: string, ...parts: (string | RegExp)[]) => {
          for (const part of parts)
            assert.ok(
              has(part)(screen),
              `the screen shows ${typeof part === 'string' ? `"${part}"` : part}; it shows:\n${screen}`,
            );
        };

        // Start it and answer the questions the flags left open: two defaults taken, two values typed.
        // The wizard takes its run lock only after the questions: if someone else's wizard got it
        // first (exit 75), wait for that one to finish and start again.
        let screen = '';
        for (let attempt = 1; ; attempt += 1) {
          await waitForRunLock();
          log(`tmux new-session -d -s ${s} -x 160 -y 50 '${command}'`);
          tmux.start(s, command);
          screen = await tmux.waitFor(s, 'the question about the app directory', has(`? App directory (${TTY_DIR})`));
          printScreen('question: the app directory, its default made from the user and the app name', screen);
          tmux.keys(s, 'Enter');
          screen = await tmux.waitFor(
            s,
            'the question about the web group',
            has(`? The web server's group (${WEB_GROUP})`),
          );
          tmux.keys(s, 'Enter');
          screen = await tmux.waitFor(s, 'the question about processes', has('? uWSGI worker processes (5)'));
          tmux.type(s, String(TTY_PROCESSES));
          tmux.keys(s, 'Enter');
          screen = await tmux.waitFor(s, 'the question about the test port', has('? Port for the test run (8080)'));
          tmux.type(s, String(TTY_PORT));
          screen = await tmux.waitFor(s, 'the typed port', has(`? Port for the test run ${TTY_PORT}`));
          printScreen('questions: two defaults taken, two values typed', screen);
          tmux.keys(s, 'Enter');
          // Issue 17: the person's own project is offered; its default (No) keeps the guide's hello world.
          screen = await tmux.waitFor(s, 'the question about an own app', has(OWN_APP_QUESTION));
          tmux.keys(s, 'Enter');
          // The optional HTTPS step after nginx (issue 18), asked with the questions: its default, No.
          screen = await tmux.waitFor(s, 'the question about HTTPS', has('? Get a certificate for HTTPS', '(y/N)'));
          tmux.keys(s, 'Enter');
          screen = await tmux.waitFor(
            s,
            'where to continue, or an exit',
            (x) => x.includes('[Enter] continue from ▶') || x.includes('E2E-EXIT='),
          );
          if (!screen.includes(`E2E-EXIT=${EXIT_BUSY}`) || attempt >= 5) break;
          printScreen('another wizard holds the run lock: start again when it has finished', screen);
          tmux.killServer();
        }

        // The machine already has the packages (run a.), but this person has no record here: the
        // list says what the machine has, and proposes to begin with the lesson, not after it.
        printScreen('first visit on a machine that has the packages: what it has, where to begin', screen);
        expectOn(
          screen,
          `✔ uWSGI worker processes ${TTY_PROCESSES}`,
          `✔ Port for the test run ${TTY_PORT}`,
          `✔ ${OWN_APP_QUESTION.slice(2).replace(' (y/N)', '')} No`,
          'Part of what the guide sets up is already on this machine:',
          /✓ done +packages/,
          /▶ · to do +concepts/,
        );
        tmux.keys(s, 'Enter');

        // Step 1: an explanation to read, with the diagram built from the answers.
        screen = await tmux.waitFor(s, 'step 1 waiting for Enter', has('Step 1 of 11', '[Enter] continue'));
        printScreen('step 1: explanation and diagram', screen);
        expectOn(
          screen,
          'Three names look almost the same',
          `/run/${TTY_APP}/${TTY_APP}.sock`,
          `${TTY_PROCESSES} worker processes`,
        );
        tmux.keys(s, 'Enter');

        // A lesson's quiz, its questions answered right by number key; Enter goes on after each.
        const answerRight = async (step: number, picks: string[]) => {
          for (const [i, pick] of picks.entries()) {
            screen = await tmux.waitFor(
              s,
              `question ${i + 1} of step ${step}`,
              has(`Quiz · question ${i + 1} of ${picks.length}`),
            );
            tmux.type(s, pick);
            screen = await tmux.waitFor(
              s,
              `the right answer to question ${i + 1}`,
              has('Right.', i + 1 < picks.length ? '[Enter] next question' : '[Enter] continue'),
            );
            tmux.keys(s, 'Enter');
          }
        };
        // Step 1's quiz: a wrong answer first; its explanation shows and the question stays.
        screen = await tmux.waitFor(
          s,
          'the first quiz question',
          has('Quiz · question 1 of 2', '[1-4] or [↑/↓] + [Enter] answer'),
        );
        printScreen('quiz after step 1: question 1', screen);
        tmux.type(s, '1');
        screen = await tmux.waitFor(s, 'the explanation of the wrong answer', has('Not quite.'));
        printScreen('quiz: a wrong answer, explained', screen);
        expectOn(screen, '✗ 1.', 'Quiz · question 1 of 2');
        await answerRight(1, ['2', '3']);

        screen = await tmux.waitFor(s, 'step 2 waiting for Enter', has('Step 2 of 11', '[Enter] continue'));
        tmux.keys(s, 'Enter');
        await answerRight(2, ['4', '1']);

        // Packages are in place (run a.): found already done; the virtualenv's first command waits.
        screen = await tmux.waitFor(
          s,
          'the first command of step 4',
          has('Step 4 of 11', 'Command 1 of 2', '[Enter] run it'),
        );
        printScreen(
          'step 4: packages found already done; the first command, its explanation, waiting for Enter',
          screen,
        );
        expectOn(
          screen,
          '✓ Install the components [packages] already done',
          '✓ apt packages installed: python3-dev, python3-venv, build-essential, nginx — all installed',
          `$ runuser -u ${USER} -- mkdir -p ${TTY_DIR}`,
          'Create the application directory, owned by the service user.',
          '[s] skip',
        );
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(s, 'the second command of step 4', has('Command 2 of 2', '[Enter] run it'));
        expectOn(
          screen,
          `✓ $ runuser -u ${USER} -- mkdir -p ${TTY_DIR} (`,
          `$ runuser -u ${USER} -- /usr/bin/python3 -m venv ${TTY_DIR}/${TTY_APP}env`,
        );
        tmux.keys(s, 'Enter');

        // Step 5: pip builds uWSGI while the screen shows its output live.
        const pip = `$ runuser -u ${USER} -- ${TTY_DIR}/${TTY_APP}env/bin/pip install --verbose uwsgi`;
        screen = await tmux.waitFor(
          s,
          'the pip command of step 5',
          has('Step 5 of 11', 'Command 1 of 2', '[Enter] run it'),
          120_000,
        );
        printScreen('step 5: virtualenv done with its proof; pip install waiting for Enter', screen);
        expectOn(
          screen,
          '✓ The app directory and its virtualenv [virtualenv] done',
          `✓ the venv's python runs from ${TTY_DIR}/${TTY_APP}env`,
          pip,
          'Download and build uWSGI inside the virtualenv.',
        );
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(
          s,
          'pip running with its output in the pane',
          (x) => /│ +[^\s│]/.test(livePane(x)) && x.includes('[q] stop and quit'),
          120_000,
        );
        printScreen('step 5: pip running, the live output pane', screen);
        expectOn(screen, pip);
        screen = await tmux.waitFor(
          s,
          'the compiler in the live pane (or the build finished)',
          (x) => /\[[\w-]*gcc\]/.test(livePane(x)) || x.includes('Command 2 of 2'),
          600_000,
        );
        printScreen('step 5: uWSGI being compiled, live', screen);

        // Skip `uwsgi --version`: the step is marked skipped, not done.
        screen = await tmux.waitFor(
          s,
          'the second command of step 5',
          has('Command 2 of 2', 'Ask the new uWSGI for its version', '[Enter] run it'),
          20 * 60_000,
        );
        printScreen('step 5: pip finished (last output), uwsgi --version waiting — it will be skipped with s', screen);
        expectOn(
          screen,
          `✓ ${pip} (`,
          'Successfully installed uwsgi',
          `$ runuser -u ${USER} -- ${TTY_DIR}/${TTY_APP}env/bin/uwsgi --version`,
        );
        tmux.keys(s, 's');
        screen = await tmux.waitFor(s, 'step 6 with the file to write', has('Step 6 of 11', '[Enter] write it'));
        printScreen('step 6: step 5 marked skipped; wsgi.py shown in full before it is written', screen);
        expectOn(
          screen,
          '↷ Install uWSGI into the virtualenv [uwsgi] skipped',
          '↷uwsgi',
          `${TTY_DIR}/wsgi.py (owner ${USER}:${USER}, mode 0644)`,
          `return [b"<h1 style='color:blue'>Hello There!</h1>"]`,
        );
        tmux.keys(s, 'Enter');

        // Step 7: the test run serves; the page answers the wizard and us.
        screen = await tmux.waitFor(s, 'the test-run command', has('Step 7 of 11', '[Enter] run it'));
        expectOn(
          screen,
          `$ runuser -u ${USER} -- ${TTY_DIR}/${TTY_APP}env/bin/uwsgi --socket 0.0.0.0:${TTY_PORT} --protocol=http -w wsgi`,
          'The guide: uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi',
        );
        const written = sh(`grep -c 'Hello There' ${q(`${TTY_DIR}/wsgi.py`)}`);
        assert.equal(written.stdout.trim(), '1', 'wsgi.py was written when confirmed');
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(
          s,
          'the test run serving',
          has(`serving — open it in your browser too: http://${TTY_SERVER}:${TTY_PORT}/`),
        );
        expectOn(screen, `✓ http://127.0.0.1:${TTY_PORT}/ answers "Hello There!"`, 'spawned uWSGI worker 1');
        const page = sh(`curl -s --max-time 5 http://127.0.0.1:${TTY_PORT}/`);
        log(`$ curl -s http://127.0.0.1:${TTY_PORT}/  (while it serves)\n${page.stdout}`);
        assert.match(page.stdout, /Hello There!/);
        screen = await tmux.waitFor(s, 'our own request in the live output', has(/req: 2\/2\] 127\.0\.0\.1/));
        printScreen('step 7: the passed check ✓, uWSGI serving, our curl in its live log', screen);
        tmux.keys(s, 'Enter');

        // Step 8: the test run stopped and proven; quit here, in the middle.
        screen = await tmux.waitFor(s, 'step 8 with the ini to write', has('Step 8 of 11', '[Enter] write it'));
        const record = tmux.capture(s, true);
        expectOn(record, '✓ Try the app with uWSGI alone [test-run] done', `✓ port ${TTY_PORT} is free again — free`);
        printScreen('step 8: test run done and proven; the ini waiting — q quits here', screen);
        assert.ok(!listening(TTY_PORT), `port ${TTY_PORT} is free again`);
        tmux.keys(s, 'q');
        screen = await tmux.waitFor(s, 'the wizard to end', has('E2E-EXIT='));
        printScreen('after q: the summary, the exit code', screen);
        expectOn(
          screen,
          'E2E-EXIT=130',
          'Stopped. Run the wizard again to continue',
          /^ {2}uwsgi +skipped · /m,
          /^ {2}test-run +done · /m,
          /^ {2}ini +to do · /m,
        );

        // From outside: nothing after the quit happened, nothing is left running.
        assert.ok(!existsSync(`${TTY_DIR}/${TTY_APP}.ini`), 'the ini was not written');
        assert.ok(!existsSync(`/run/${TTY_APP}`), 'no service was started');
        const left = processesOf(uidOf(USER)!).filter((p) => p.cmdline.includes(TTY_APP));
        assert.deepEqual(
          left.map((p) => p.cmdline),
          [],
          `no process of ${TTY_APP} is left`,
        );
      },
    );
  });
}
