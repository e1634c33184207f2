// Issue 6 for real: never lose anything, never run anything unintended. Hostile answers refused
// with nothing created; an edited wsgi.py kept as a backup; the transcript of a full run complete;
// Ctrl-C during the test run leaving nothing on the port; a broken site elsewhere making the
// nginx step fail and roll back while the running nginx keeps serving; undo after a full run.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2esafe, apps e2eweb and
// e2eint, the nginx file sites-enabled/e2e-broken, test ports 8311 and 8312), each app with a state
// directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assertCompleted,
  assertPageAnswers,
  CLI,
  createServiceUser,
  EXIT_BUSY,
  firstStep,
  heading,
  listeners,
  log,
  machineTest,
  must,
  nginxMaster,
  plannedFiles,
  present,
  printScreen,
  processesOf,
  lockOwner,
  q,
  regexLiteral,
  removeAppsAndUser,
  removeNginxFile,
  RUN_LOCK,
  runWizard,
  sh,
  stat,
  summaryStatuses,
  testApp,
  timingTable,
  Tmux,
  transcriptCommands,
  uidOf,
  waitForRunLock,
  type WizardRun,
} from './machine.js';
const USER = 'e2esafe';
const HOME = `/home/${USER}`;
const WEB_GROUP = 'www-data';

/** The full run: its transcript, then its wsgi.py edited by hand. Its site is the one that must keep answering. */
const WEB = testApp(USER, 'e2eweb', 'web.safety.e2e.test', 8311);
/** Interrupted in its test run (tmux), then its nginx step meets a broken site, then it is completed and undone. */
const INT = testApp(USER, 'e2eint', 'int.safety.e2e.test', 8312);
/** A site with a syntax error, elsewhere in sites-enabled. */
const BROKEN = '/etc/nginx/sites-enabled/e2e-broken';
const BROKEN_LINE = 4;
const BROKEN_SITE = [
  'server {',
  '    listen 80;',
  '    server_name broken.safety.e2e.test;',
  '    e2e_no_such_directive on;',
  '}',
  '',
].join('\n');
const TMUX_SOCKET = 'uwsgi-guide-e2e-safety';
const TMUX_SESSION = 'e2e-sigint';

/** The packages the wizard installs: undo leaves them installed. */
const PACKAGES = ['python3-dev', 'python3-venv', 'build-essential', 'nginx'];
/** Apps other people run on this machine by hand: their entries in /run and nginx's sites are theirs. */
const OTHERS = /^(myapp|killapp|teachapp)(\.|$)/;

/** What lies in the places a run could create something: the service user's home (all of it), /run, nginx's sites. */
function snapshot(): Set<string> {
  const entries = new Set<string>();
  for (const line of must(`find ${HOME} -mindepth 1`).split('\n').filter(Boolean)) entries.add(line);
  for (const dir of ['/run', '/etc/nginx/sites-available', '/etc/nginx/sites-enabled']) {
    for (const name of readdirSync(dir)) if (!OTHERS.test(name)) entries.add(`${dir}/${name}`);
  }
  // The run lock's directory may be made by the first run since boot (the lock is taken before the
  // answers are looked at); what it holds must be gone again.
  const lockDir = dirname(RUN_LOCK);
  entries.delete(lockDir);
  for (const name of existsSync(lockDir) ? readdirSync(lockDir) : []) entries.add(`${lockDir}/${name}`);
  for (const name of readdirSync('/tmp')) if (name.startsWith('e2e')) entries.add(`/tmp/${name}`);
  return entries;
}

/** The uWSGI (and any other process) of an app: run by the service user, naming the app's directory. */
function appProcesses(dir: string) {
  const uid = uidOf(USER);
  return uid === undefined ? [] : processesOf(uid).filter((p) => p.cmdline.includes(`${dir}/`));
}

machineTest(
  'end-to-end: never lose anything, never run anything unintended (issue 6)',
  async (t, { dir: work, stateOf }) => {
    const tmux = new Tmux(TMUX_SOCKET);
    const WEB_STATE = stateOf('web');
    const INT_STATE = stateOf('int');

    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      tmux.killServer();
      await removeAppsAndUser(USER, [WEB.name, INT.name], [BROKEN]);
    };
    await cleanUp('before');
    t.after(() => cleanUp('after'));

    createServiceUser(USER);

    await t.test(
      '5. hostile values for every field, as flags and in an answers file, with --yes: each exits 2 naming the field, and nothing is created',
      async () => {
        heading('5. hostile answers');
        assert.notEqual(sh('id -u nosuchuser').code, 0, 'there is no account nosuchuser');
        assert.notEqual(sh('getent group e2enosuchgroup').code, 0, 'there is no group e2enosuchgroup');
        const pwned = '/tmp/e2e-pwned';
        rmSync(pwned, { force: true });
        const HOSTILE_APP = 'e2ehostile';
        const valid: Record<string, string> = {
          'app-name': HOSTILE_APP,
          user: USER,
          'server-name': 'hostile.safety.e2e.test',
          'test-port': '8319',
        };
        const flags = (over: Record<string, string>) =>
          Object.entries({ ...valid, ...over }).flatMap(([flag, value]) => [`--${flag}`, value]);
        let fileCount = 0;
        /**
         * An answers file holding the valid answers with `over` in their place, written as JSON (which YAML reads as
         * well).
         */
        const answersFile = (over: Record<string, unknown>, raw?: string) => {
          fileCount += 1;
          const path = join(work, `answers-${fileCount}.yaml`);
          writeFileSync(path, raw ?? JSON.stringify({ ...valid, ...over }, null, 2));
          return path;
        };
        const cases: { label: string; args: string[]; field: string; never?: string[] }[] = [
          {
            label: "--app-name 'x;id'",
            args: flags({ 'app-name': 'x;id' }),
            field: 'app-name',
            never: [`${HOME}/x;id`, `${HOME}/x`, '/run/x;id', '/run/x', '/etc/nginx/sites-available/x;id'],
          },
          {
            label: `--app-name 'e2e$(touch ${pwned})'`,
            args: flags({ 'app-name': `e2e$(touch ${pwned})` }),
            field: 'app-name',
            never: [pwned],
          },
          {
            label: "--app-name '../e2eup'",
            args: flags({ 'app-name': '../e2eup' }),
            field: 'app-name',
            never: ['/home/e2eup', '/run/e2eup'],
          },
          { label: "--app-name 'My App'", args: flags({ 'app-name': 'My App' }), field: 'app-name' },
          {
            label: `--app-dir '${HOME}/../etc'`,
            args: flags({ 'app-dir': `${HOME}/../etc` }),
            field: 'app-dir',
            never: [`/etc/${HOSTILE_APP}env`, `/etc/${HOSTILE_APP}.ini`, '/etc/wsgi.py'],
          },
          { label: '--app-dir relative/e2edir', args: flags({ 'app-dir': 'relative/e2edir' }), field: 'app-dir' },
          {
            label: `--app-dir '${HOME}/my app'`,
            args: flags({ 'app-dir': `${HOME}/my app` }),
            field: 'app-dir',
            never: [`${HOME}/my app`, `${HOME}/my`],
          },
          { label: "--server-name 'a b'", args: flags({ 'server-name': 'a b' }), field: 'server-name' },
          {
            label: "--server-name server_domain_or_IP (the guide's placeholder)",
            args: flags({ 'server-name': 'server_domain_or_IP' }),
            field: 'server-name',
          },
          {
            label: "--server-name 'e2e.test; return 301 http://evil.test'",
            args: flags({ 'server-name': 'e2e.test; return 301 http://evil.test' }),
            field: 'server-name',
          },
          { label: '--processes 0', args: flags({ processes: '0' }), field: 'processes' },
          { label: "--processes '$(id)'", args: flags({ processes: '$(id)' }), field: 'processes' },
          { label: '--processes 1e3', args: flags({ processes: '1e3' }), field: 'processes' },
          { label: '--test-port 80', args: flags({ 'test-port': '80' }), field: 'test-port' },
          { label: '--test-port 22', args: flags({ 'test-port': '22' }), field: 'test-port' },
          { label: '--test-port 65536', args: flags({ 'test-port': '65536' }), field: 'test-port' },
          { label: '--test-port 8080abc', args: flags({ 'test-port': '8080abc' }), field: 'test-port' },
          { label: '--user nosuchuser', args: flags({ user: 'nosuchuser' }), field: 'user' },
          { label: "--user 'root;id'", args: flags({ user: 'root;id' }), field: 'user' },
          { label: "--web-group 'www-data;id'", args: flags({ 'web-group': 'www-data;id' }), field: 'web-group' },
          { label: '--web-group e2enosuchgroup', args: flags({ 'web-group': 'e2enosuchgroup' }), field: 'web-group' },
          {
            label: 'answers file: app-name "$(id)"',
            args: ['--answers', answersFile({ 'app-name': '$(id)' })],
            field: 'app-name',
          },
          {
            label: 'answers file: server-name with a newline',
            args: ['--answers', answersFile({ 'server-name': 'e2e.test\n    location / { return 200; }' })],
            field: 'server-name',
          },
          {
            label: `answers file: app-dir with a quote (${HOME}/it's)`,
            args: ['--answers', answersFile({ 'app-dir': `${HOME}/it's` })],
            field: 'app-dir',
            never: [`${HOME}/it's`],
          },
          {
            label: 'answers file: user with double quotes and ;',
            args: ['--answers', answersFile({ user: `${USER}"; id; "` })],
            field: 'user',
          },
          {
            label: 'answers file: processes as YAML true',
            args: [
              '--answers',
              answersFile(
                {},
                `app-name: ${HOSTILE_APP}\nuser: ${USER}\nserver-name: hostile.safety.e2e.test\nprocesses: true\n`,
              ),
            ],
            field: 'processes',
          },
          {
            label: 'answers file: an unknown key (a typo)',
            args: ['--answers', answersFile({ app_nmae: 'e2etypo' })],
            field: 'answers',
          },
          {
            label: 'answers file: not YAML',
            args: ['--answers', answersFile({}, 'app-name: [e2e\n  user: {')],
            field: 'answers',
          },
          { label: 'answers file: missing', args: ['--answers', join(work, 'no-such-answers.yaml')], field: 'answers' },
        ];
        const rows: string[] = [];
        for (const [i, c] of cases.entries()) {
          const env = stateOf(`hostile-${i + 1}`);
          const before = snapshot();
          log(`\n-- case ${i + 1}: ${c.label}`);
          const run = await runWizard(['--yes', ...c.args, '--lang', 'en'], { env, prefix: 'hostile│ ' });
          const after = snapshot();
          const created = [...after].filter((entry) => !before.has(entry));
          rows.push(
            `  ${String(i + 1).padStart(2)}  exit ${run.code ?? run.signal}  ${c.label}  →  ${run.stderr.split('\n')[0]}`,
          );
          assert.equal(
            run.code,
            2,
            `${c.label}: exit 2 (input refused); it exited ${run.code ?? run.signal}; stderr:\n${run.stderr}`,
          );
          // A value from an answers file is named by the file and its key, the file itself by its path
          // (issue 15, item 12); a flag by the flag.
          const file = c.args[0] === '--answers' ? regexLiteral(c.args[1]!) : undefined;
          const names =
            file === undefined
              ? `--${c.field}: `
              : c.field === 'answers'
                ? `(the answers file|there is no answers file) ${file}`
                : `${file}: ${c.field}: `;
          assert.match(
            run.stderr,
            new RegExp(`^uwsgi-nginx-guide: ${names}`, 'm'),
            `${c.label}: the message names ${file === undefined ? `--${c.field}` : 'the file'}; stderr:\n${run.stderr}`,
          );
          assert.match(run.stderr, /Nothing was changed\./, `${c.label}: it says nothing was changed`);
          assert.equal(firstStep(run), undefined, `${c.label}: no step began`);
          assert.doesNotMatch(run.stdout, /^(\$ |File: )/m, `${c.label}: no command ran, no file was written`);
          assert.deepEqual(
            created,
            [],
            `${c.label}: nothing new in ${HOME}, /run, sites-available, sites-enabled or /tmp/e2e*`,
          );
          assert.ok(
            !existsSync(env.XDG_STATE_HOME),
            `${c.label}: no progress file, no transcript (${env.XDG_STATE_HOME} was not made)`,
          );
          for (const path of c.never ?? []) assert.ok(!present(path), `${c.label}: ${path} does not exist`);
          assert.ok(lockOwner() !== run.pid, `${c.label}: the run lock was released`);
        }
        log(`\nhostile answers, each refused:\n${rows.join('\n')}`);
        assert.ok(!existsSync(pwned), `${pwned} was never created: no value reached a shell`);
        // The same refusal for the other two commands, which take the same flags.
        for (const args of [
          ['status', ...flags({ 'app-name': 'x;id' })],
          ['undo', '--yes', ...flags({ 'app-dir': `${HOME}/../etc` })],
        ]) {
          const run = await runWizard(args, { env: stateOf('hostile-commands'), prefix: 'hostile│ ' });
          assert.equal(run.code, 2, `${args[0]} with a hostile value exits 2; stderr:\n${run.stderr}`);
          assert.match(
            run.stderr,
            new RegExp(`^uwsgi-nginx-guide: --${args[0] === 'status' ? 'app-name' : 'app-dir'}: `, 'm'),
          );
        }
      },
    );

    let webRun: WizardRun | undefined;

    await t.test(
      '9. a full run: its transcript ("log: PATH") holds every command the plain output showed, each with its exit code and duration, and every file written',
      async () => {
        heading(`9. ${WEB.name}: a full --yes run, then its transcript`);
        const run = await runWizard(['--yes', ...WEB.answers], { env: WEB_STATE });
        log(`\n${timingTable(`9. time per step, full run of ${WEB.name}`, run)}`);
        assertCompleted(run, 'the full run');
        assertPageAnswers(WEB.server);
        webRun = run;

        assert.ok(run.logPath, 'the run printed "log: PATH" at the end');
        assert.ok(
          run.logPath!.startsWith(join(WEB_STATE.XDG_STATE_HOME, 'uwsgi-nginx-guide')),
          `the transcript is in the state directory: ${run.logPath}`,
        );
        const transcript = readFileSync(run.logPath!, 'utf8');
        const lines = transcript.split('\n');

        // The commands as the plain output showed them, and as the transcript recorded them with their ends.
        const shown = run.lines
          .filter((l) => l.text.startsWith('$ '))
          .map((l) => l.text.slice(2).replace(/ {4}\(in: [^)]*\)$/, ''));
        const recorded = transcriptCommands(transcript);
        log(
          `\ntranscript ${run.logPath} (${lines.length} lines), commands:\n${recorded.map((r) => `  [${r.step}] exit ${r.exit ?? '?'} after ${r.seconds ?? '?'}s: ${r.command}`).join('\n')}`,
        );
        assert.ok(shown.length >= 8, `the plain output showed the run's commands (${shown.length})`);
        assert.deepEqual(
          recorded.map((r) => `${r.kind} ${r.command}`),
          shown.map((c) => `command ${c}`),
          'the transcript holds every command the plain output showed, in the same order',
        );
        for (const r of recorded) {
          assert.ok(
            r.exit !== undefined && r.seconds !== undefined,
            `the transcript gives an exit code and a duration for: ${r.command}`,
          );
          // The test run's uWSGI is stopped like Ctrl-C once its page answered: SIGINT is its normal end.
          assert.ok(
            r.exit === '0' || (r.step === 'test-run' && r.exit === 'SIGINT'),
            `[${r.step}] ${r.command} ended with exit ${r.exit}`,
          );
        }
        assert.match(
          transcript,
          /Successfully installed uwsgi/,
          "the commands' whole output is there (pip's last line)",
        );
        assert.match(transcript, /^check ok {3}page-through-nginx: /m, 'the checks are there');

        // Every file written: shown whole in the plain output, recorded with its content and its outcome.
        const shownFiles = plannedFiles(run.stdout, '  > ');
        const written = [
          ...transcript.matchAll(
            /^== \[([a-z0-9-]+)\] write (\S+) \((\S+) (0\d{3,4})\)\n([\s\S]*?)^\2: (written.*|already exactly as shown, left alone)$/gm,
          ),
        ].map((m) => ({
          step: m[1]!,
          path: m[2]!,
          owner: m[3]!,
          mode: m[4]!,
          content: m[5]!,
          outcome: m[6]!,
        }));
        log(
          `files in the transcript:\n${written.map((w) => `  [${w.step}] ${w.path} (${w.owner} ${w.mode}): ${w.outcome}`).join('\n')}`,
        );
        assert.deepEqual(
          written.map((w) => w.path),
          shownFiles.map((f) => f.path),
          'the transcript records every file the plain output showed, in order',
        );
        assert.deepEqual(
          written.map((w) => w.path).sort(),
          [`${WEB.dir}/wsgi.py`, `${WEB.dir}/${WEB.name}.ini`, `/etc/nginx/sites-available/${WEB.name}`].sort(),
        );
        for (const w of written) {
          const file = shownFiles.find((f) => f.path === w.path)!;
          assert.equal(w.content, file.content, `the transcript holds ${w.path} as shown`);
          assert.equal(w.outcome, 'written', `${w.path} was written`);
          assert.equal(
            `${w.owner} ${w.mode}`,
            `${file.owner}:${file.group} ${file.mode}`,
            `owner and mode of ${w.path} as shown`,
          );
        }
      },
    );

    await t.test(
      '6. an edited wsgi.py: a --yes run replaces it and keeps the edited one beside it as wsgi.py.bak-*',
      async (st) => {
        if (!webRun) return st.skip('the full run (9.) failed');
        heading(`6. ${WEB.name}: wsgi.py edited by ${USER}, then the wizard with --yes`);
        const wsgi = `${WEB.dir}/wsgi.py`;
        const planned = readFileSync(wsgi, 'utf8');
        const edited = [
          '# Edited by hand: my own greeting.',
          'def application(environ, start_response):',
          "    start_response('200 OK', [('Content-Type', 'text/plain')])",
          "    return [b'my own greeting, keep me']",
          '',
        ].join('\n');
        must(`runuser -u ${USER} -- sh -c ${q(`printf '%s' ${q(edited)} > ${q(wsgi)}`)}`);
        assert.equal(readFileSync(wsgi, 'utf8'), edited, 'wsgi.py now holds the edited version');

        const run = await runWizard(['--yes', ...WEB.answers], { env: WEB_STATE });
        log(`\n${timingTable('6. the run over the edited wsgi.py', run)}`);
        assertCompleted(run, 'the run');
        assert.equal(firstStep(run), 'wsgi-app', 'the changed step is where the run begins');
        assert.equal(readFileSync(wsgi, 'utf8'), planned, 'wsgi.py holds what the wizard shows again');
        const backups = readdirSync(WEB.dir).filter((name) => /^wsgi\.py\.bak-/.test(name));
        log(`in ${WEB.dir}: ${readdirSync(WEB.dir).join(', ')}`);
        assert.equal(backups.length, 1, `one backup beside wsgi.py: ${backups.join(', ')}`);
        const backup = `${WEB.dir}/${backups[0]}`;
        assert.match(backups[0]!, /^wsgi\.py\.bak-\d{8}T\d{6}/, 'the backup is named with a timestamp');
        assert.equal(readFileSync(backup, 'utf8'), edited, 'the backup holds the edited version');
        assert.equal(stat(backup).owner, USER, `the backup still belongs to ${USER}`);
        const kept = `${wsgi}: written; the earlier version is kept as ${backup}`;
        assert.ok(
          run.lines.some((l) => l.text === `  ✓ ${kept}`),
          `the run says where the edited version is: ${kept}`,
        );
        assert.ok(
          run.logPath && readFileSync(run.logPath, 'utf8').split('\n').includes(kept),
          `the transcript records the file written with its backup: ${kept}`,
        );
        assertPageAnswers(WEB.server);
      },
    );

    await t.test(
      '8. Ctrl-C while the test run serves (a real terminal): exit 130, nothing listens on the test port, no uWSGI of the app runs',
      async () => {
        heading(`8. ${INT.name}: the wizard in tmux up to the test run, then Ctrl-C`);
        const s = TMUX_SESSION;
        // Every answer as a flag: no questions. The person's terminal has no CI variable (ink draws every frame).
        const command = [
          'env -u CI -u CONTINUOUS_INTEGRATION',
          `XDG_STATE_HOME=${q(INT_STATE.XDG_STATE_HOME)}`,
          q(process.execPath),
          q(CLI),
          ...INT.answers.map(q),
          `--app-dir ${INT.dir} --web-group ${WEB_GROUP} --processes 2 --no-quiz`,
          '; echo "E2E-EXIT=$?"; sleep 86400',
        ].join(' ');
        const has =
          (...parts: (string | RegExp)[]) =>
          (screen: string) =>
            parts.every((p) => (typeof p === 'string' ? screen.includes(p) : p.test(screen)));
        let screen = '';
        for (let attempt = 1; ; attempt += 1) {
          await waitForRunLock();
          log(`tmux new-session -d -s ${s} -x 160 -y 50 '${command}'`);
          tmux.start(s, command);
          screen = await tmux.waitFor(
            s,
            'where to continue, or an exit',
            (x) => x.includes('[Enter] continue from ▶') || x.includes('E2E-EXIT='),
          );
          if (!screen.includes(`E2E-EXIT=${EXIT_BUSY}`) || attempt >= 5) break;
          printScreen('another wizard holds the run lock: start again when it has finished', screen);
          tmux.killServer();
        }
        // A first visit on a machine that has the packages: it begins with the lessons (no quiz here:
        // this test is about Ctrl-C), then finds the packages in place.
        printScreen('the packages are in place; a first visit begins with the lesson', screen);
        assert.match(screen, /▶ · to do +concepts/);
        tmux.keys(s, 'Enter');
        for (const n of [1, 2]) {
          screen = await tmux.waitFor(s, `lesson ${n}`, has(`Step ${n} of 11`, '[Enter] continue'));
          tmux.keys(s, 'Enter');
        }

        for (const n of [1, 2]) {
          screen = await tmux.waitFor(
            s,
            `command ${n} of step 4`,
            has('Step 4 of 11', `Command ${n} of 2`, '[Enter] run it'),
            120_000,
          );
          tmux.keys(s, 'Enter');
        }
        screen = await tmux.waitFor(
          s,
          'the pip command of step 5',
          has('Step 5 of 11', 'Command 1 of 2', '[Enter] run it'),
          120_000,
        );
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(
          s,
          'uwsgi --version after the build',
          has('Step 5 of 11', 'Command 2 of 2', '[Enter] run it'),
          20 * 60_000,
        );
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(s, 'wsgi.py to write', has('Step 6 of 11', '[Enter] write it'), 120_000);
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(s, 'the test-run command', has('Step 7 of 11', '[Enter] run it'), 120_000);
        tmux.keys(s, 'Enter');
        screen = await tmux.waitFor(
          s,
          'the test run serving',
          has(`serving — open it in your browser too: http://${INT.server}:${INT.port}/`),
          120_000,
        );
        printScreen('step 7: uWSGI serving on the test port', screen);

        // It serves: something listens on the port, and it is this app's uWSGI.
        const listening = listeners(INT.port);
        const running = appProcesses(INT.dir);
        log(
          `$ ss -ltn | grep :${INT.port}\n${listening.join('\n')}\nuWSGI of ${INT.name}:\n${running.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n')}`,
        );
        assert.ok(listening.length > 0, `uWSGI listens on ${INT.port} while it serves`);
        assert.ok(
          running.some((p) => p.cmdline.includes(`--socket 0.0.0.0:${INT.port}`)),
          'the test-run uWSGI runs',
        );

        tmux.keys(s, 'C-c');
        screen = await tmux.waitFor(s, 'the wizard to end', has('E2E-EXIT='), 60_000);
        printScreen('after Ctrl-C', screen);
        assert.match(screen, /E2E-EXIT=130\b/, 'the wizard exits 130');
        assert.match(screen, /^ {2}test-run +to do · /m, 'the test run is left not done');

        const after = listeners(INT.port);
        const left = appProcesses(INT.dir);
        const stillListening = after.length === 0 ? '(nothing)' : after.join(' | ');
        const processes = left.length === 0 ? '(none)' : left.map((p) => p.cmdline).join(' | ');
        log(`after the exit: ss -ltn | grep :${INT.port} → ${stillListening}; processes of ${INT.name}: ${processes}`);
        assert.deepEqual(after, [], `nothing listens on ${INT.port} once the wizard has exited`);
        assert.deepEqual(
          left.map((p) => `${p.pid} ${p.cmdline}`),
          [],
          `no uWSGI of ${INT.name} runs`,
        );
        assert.ok(!existsSync(`/run/${INT.name}`), 'no service was started');
        tmux.killServer();
      },
    );

    await t.test(
      "7. a broken site elsewhere in sites-enabled: the nginx step (--yes) exits 1 with nginx's own message; its link and site are gone; the running nginx still serves, unrestarted",
      async (st) => {
        if (!existsSync(`${INT.dir}/wsgi.py`)) return st.skip(`${INT.name} was not set up to its test run (8.)`);
        heading(`7. ${BROKEN} with a syntax error, then the wizard for ${INT.name}`);
        const master = nginxMaster();
        assert.ok(master, 'nginx runs');
        assertPageAnswers(WEB.server);
        try {
          // Written at the last moment, when no wizard of anyone else's runs, so that it trips only ours.
          await waitForRunLock();
          writeFileSync(BROKEN, BROKEN_SITE);
          const test = sh('nginx -t');
          log(`${BROKEN}:\n${BROKEN_SITE}$ nginx -t → exit ${test.code}\n${test.stderr.trim()}`);
          assert.notEqual(test.code, 0, 'the configuration is broken now');

          const run = await runWizard(['--yes', ...INT.answers], { env: INT_STATE });
          log(`\n${timingTable('7. the run that meets the broken site', run)}`);
          assert.equal(run.code, 1, `the wizard exits 1; it exited ${run.code ?? run.signal}`);
          assert.match(
            run.stderr,
            /^Stopped at a failed step\. \[nginx\] Put nginx in front of uWSGI$/m,
            'it names the nginx step',
          );
          assert.equal(summaryStatuses(run).get('nginx'), 'failed');
          for (const id of ['test-run', 'ini', 'service'])
            assert.equal(summaryStatuses(run).get(id), 'done', `${id} was done on the way`);
          const nginxSays = `unknown directive "e2e_no_such_directive" in ${BROKEN}:${BROKEN_LINE}`;
          assert.match(run.stdout, /^\$ nginx -t$/m, 'nginx -t ran');
          assert.ok(
            run.lines.some(
              (l) => l.text.startsWith('  | ') && l.text.includes('[emerg]') && l.text.includes(nginxSays),
            ),
            `the output holds nginx's own message naming the file and line: [emerg] … ${nginxSays}`,
          );
          for (const path of [`/etc/nginx/sites-enabled/${INT.name}`, `/etc/nginx/sites-available/${INT.name}`]) {
            assert.match(
              run.stdout,
              new RegExp(`^ {2}\\| rollback: \\$ rm -f ${path}$`, 'm'),
              `the rollback of ${path} is shown`,
            );
          }
          assert.doesNotMatch(run.stdout, /^\$ .*nginx (restart|reload)/m, 'nginx was neither restarted nor reloaded');

          assert.ok(
            !present(`/etc/nginx/sites-enabled/${INT.name}`),
            `the wizard's link /etc/nginx/sites-enabled/${INT.name} is gone`,
          );
          assert.ok(
            !present(`/etc/nginx/sites-available/${INT.name}`),
            `/etc/nginx/sites-available/${INT.name}, created by this run, is removed`,
          );
          assert.equal(readFileSync(BROKEN, 'utf8'), BROKEN_SITE, `${BROKEN} is not the wizard's: left as it was`);

          // The transcript tells the same: nginx -t failing with its message, then each command of the rollback, each
          // with its end.
          assert.ok(run.logPath && existsSync(run.logPath), `the transcript ${run.logPath} exists`);
          const transcript = readFileSync(run.logPath!, 'utf8');
          const nginxCommands = transcriptCommands(transcript).filter((c) => c.step === 'nginx');
          log(
            `transcript ${run.logPath}, the nginx step:\n${nginxCommands.map((c) => `  ${c.kind} exit ${c.exit ?? '?'} after ${c.seconds ?? '?'}s: ${c.command}`).join('\n')}`,
          );
          assert.deepEqual(
            nginxCommands.map(
              (c) => `${c.kind} ${c.command} → exit ${c.exit} after ${c.seconds === undefined ? '?' : 'Ns'}`,
            ),
            [
              `command ln -sfn /etc/nginx/sites-available/${INT.name} /etc/nginx/sites-enabled/${INT.name} → exit 0 after Ns`,
              'command nginx -t → exit 1 after Ns',
              `rollback rm -f /etc/nginx/sites-enabled/${INT.name} → exit 0 after Ns`,
              `rollback rm -f /etc/nginx/sites-available/${INT.name} → exit 0 after Ns`,
            ],
            'the transcript records the link, nginx -t failing and the rollback, each with exit code and duration',
          );
          assert.ok(transcript.includes(nginxSays), "the transcript holds nginx's message");
          assert.equal(nginxMaster(), master, `nginx's master is the same process (${master}): not restarted`);
          assertPageAnswers(WEB.server);
        } finally {
          removeNginxFile(BROKEN);
        }
        assert.equal(sh('nginx -t').code, 0, 'the configuration is valid again without the broken site');
      },
    );

    await t.test(
      "10. undo --yes after a full run: no file, directory, link or process of the wizard's for the app remains; nginx answers something else for its name; packages stay",
      async (st) => {
        if (!existsSync(`${INT.dir}/wsgi.py`)) return st.skip(`${INT.name} was not set up (8.)`);
        heading(`10. ${INT.name}: completed, then undone`);
        const done = await runWizard(['--yes', ...INT.answers], { env: INT_STATE });
        log(`\n${timingTable(`10. the run that completes ${INT.name}`, done)}`);
        assertCompleted(done, 'the completing run');
        assertPageAnswers(INT.server);
        const pid = Number(readFileSync(`/run/${INT.name}/${INT.name}.pid`, 'utf8').trim());
        assert.ok(
          appProcesses(INT.dir).some((p) => p.pid === pid),
          `uWSGI of ${INT.name} runs (master ${pid})`,
        );

        const undo = await runWizard(['undo', '--yes', ...INT.answers], { env: INT_STATE, prefix: 'undo│ ' });
        assert.equal(undo.code, 0, `undo exits 0; stderr:\n${undo.stderr}`);
        assert.match(undo.stdout, /^Undone\. Packages installed by the wizard stay installed\.$/m);

        const gone = [
          INT.dir,
          `/run/${INT.name}`,
          `/etc/nginx/sites-available/${INT.name}`,
          `/etc/nginx/sites-enabled/${INT.name}`,
        ];
        for (const path of gone) assert.ok(!present(path), `${path} is gone`);
        assert.deepEqual(
          appProcesses(INT.dir).map((p) => `${p.pid} ${p.cmdline}`),
          [],
          `no process of ${INT.name} runs`,
        );
        assert.ok(!existsSync(`/proc/${pid}`), `the uWSGI master ${pid} has ended`);
        assert.deepEqual(listeners(INT.port), [], `nothing listens on ${INT.port}`);
        log(`${HOME} now holds: ${readdirSync(HOME).join(', ')}`);

        // nginx was reloaded, and undo waited for its old workers: at once, with no waiting here, its
        // name is answered by another site (the default one), not by the app.
        const answer = sh(
          `curl -s --max-time 5 -w '\\n%{http_code}' -H ${q(`Host: ${INT.server}`)} http://127.0.0.1/`,
        ).stdout;
        log(`$ curl -s -H 'Host: ${INT.server}' http://127.0.0.1/ → ${answer.replace(/\s+/g, ' ').slice(0, 160)}`);
        assert.ok(
          /Welcome to nginx/.test(answer) || /\n404$/.test(answer),
          `right after undo, nginx answers "Welcome to nginx" or 404 for ${INT.server}; it answered:\n${answer}`,
        );
        const splitOutput = undo.stdout.split('\n').filter((line) => / \| /.test(line) && !line.startsWith('  | '));
        assert.deepEqual(splitOutput, [], "every line of the undo commands' output is prefixed once, at its start");
        assert.equal(sh('nginx -t').code, 0, 'the configuration stays valid');

        const packages = must(`dpkg-query -W -f='\${Package} \${db:Status-Status}\\n' ${PACKAGES.join(' ')}`)
          .trim()
          .split('\n');
        log(`packages: ${packages.join(', ')}`);
        assert.deepEqual(packages.sort(), PACKAGES.map((p) => `${p} installed`).sort(), 'the packages stay installed');

        // Only this app was taken back: the other one still answers; and there is nothing left to undo.
        assertPageAnswers(WEB.server);
        const again = await runWizard(['undo', '--yes', ...INT.answers], { env: INT_STATE, prefix: 'undo│ ' });
        assert.equal(again.code, 0);
        assert.match(
          again.stdout,
          new RegExp(`^Nothing to undo: the wizard has no record of changes for ${INT.name}\\.$`, 'm'),
        );
      },
    );
  },
);
