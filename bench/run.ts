// `npm run bench`: the pauses a person feels, each against the floor no wizard can beat, as
// ratios of medians (machines are noisy; ratios of alternated runs much less so). Issue 8.
//
//   1. startup: launch → the first question on a terminal, --help and --version, against `node -e 0`,
//      of the bundle and of the standalone executable;
//   2. probes: `status` on a machine set up by the wizard, against the same probes as one shell script, and
//      `doctor` on it (healthy) against the same looks as one shell script (issue 16: under 1 s);
//   3. live output: 200,000 lines over ~5 s through the wizard's pane, against `| cat`;
//   4. overhead: a whole unattended run against the same commands as one bash script, on a fresh
//      machine (new user, app, venv, uWSGI build, files, service, nginx site) and on a set-up one;
//   5. deploy again: `deploy --yes` of a person's own project, changed, against the same steps as one bash
//      script (copy the code, pip install -r, switch, reload, wait for the page).
//
// 2, 4 and 5 change the machine: they run only as root with CI=true or E2E_ALLOW_SYSTEM_CHANGES=1
// (as the end-to-end suite), under `flock /tmp/machine.lock`, and remove all they made; elsewhere
// they are printed as skipped, with the reason. Options: --runs N (default 9), --only 1,3,5.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABELS } from '../src/ui/labels.js';
import { CLI, refusal } from '../test/e2e/machine.js';
import type { LiveOutputResult } from './live-output.js';
import { alternate, median, onTerminal, timeCommand, timeUntilShown } from './measure.js';
import type { SystemFigures } from './system-parts.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..', '..');
const CHATTY = join(HERE, 'chatty.js');
/** The standalone executable `npm run build` makes (scripts/standalone.mjs), on Linux. */
const EXECUTABLE = join(PROJECT, 'dist', `uwsgi-nginx-guide-${process.platform}-${process.arch}`);
const LINES = 200_000;
const SECONDS = 5;

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const RUNS = Number(option('--runs') ?? 9);
const ONLY = new Set((option('--only') ?? '1,2,3,4,5').split(',').map(Number));

interface Row {
  what: string;
  value: string;
  floor: string;
  ratio?: number;
  target?: string;
  ok?: boolean;
}

const report: { part: string; rows: Row[]; note?: string }[] = [];
const ms = (n: number) =>
  n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`;
const ratioRow = (what: string, value: number, floor: number, floorName: string, limit?: number): Row => ({
  what,
  value: ms(value),
  floor: `${floorName} ${ms(floor)}`,
  ratio: value / floor,
  target: limit === undefined ? undefined : `≤ ${limit}×`,
  ok: limit === undefined ? undefined : value / floor <= limit,
});

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/**
 * 1. From launch to the first question on a terminal, --help and --version, against `node -e 0`:
 * the bundle (run by the Node on the machine), then the standalone executable (Node inside it,
 * scripts/standalone.mjs), each alternated with `node -e 0` runs of its own.
 */
async function startup(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-bench-'));
  try {
    // A state directory and run lock of its own: this run never meets a real wizard's record or lock.
    const env = { ...process.env, XDG_STATE_HOME: state, TMPDIR: state, LANG: 'C.UTF-8' };
    const question = LABELS.en.questions.appName;
    const node0 = `${process.execPath} -e 0`;
    const forms = [{ label: '', command: [process.execPath, CLI] }];
    if (existsSync(EXECUTABLE)) forms.push({ label: 'executable: ', command: [EXECUTABLE] });
    const rows: Row[] = [];
    for (const { label, command } of forms) {
      const [file, ...args] = command as [string, ...string[]];
      const wizard = `${command.join(' ')} --lang en`;
      progress(`startup: ${label || 'bundle: '}launch → "${question}" on a terminal, ${RUNS} runs`);
      // One unmeasured launch each: the files are then in the page cache, as on any second start.
      await timeUntilShown(wizard, question, env);
      await timeUntilShown(node0, undefined, env);
      const first = await alternate(
        RUNS,
        () => timeUntilShown(wizard, question, env),
        () => timeUntilShown(node0, undefined, env),
      );
      const launch = `${label}launch → first question on the terminal`;
      rows.push(ratioRow(launch, median(first.a), median(first.b), 'node -e 0 on the terminal', 3));
      for (const flag of ['--help', '--version']) {
        progress(`startup: ${label}${flag}, ${RUNS * 2} runs`);
        const times = await alternate(
          RUNS * 2,
          () => timeCommand(file, [...args, flag], env),
          () => timeCommand(process.execPath, ['-e', '0'], env),
        );
        rows.push(ratioRow(`${label}${flag}`, median(times.a), median(times.b), 'node -e 0', 1.5));
      }
    }
    const size = existsSync(EXECUTABLE) ? `${(statSync(EXECUTABLE).size / 2 ** 20).toFixed(0)} MiB` : '';
    const note = size
      ? `executable: ${EXECUTABLE.slice(PROJECT.length + 1)}, ${size}`
      : 'executable: not built here (scripts/standalone.mjs makes it on Linux)';
    report.push({ part: '1. startup', rows, note });
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** 3. A step pouring out output, through the real session and screen on a terminal, against `| cat`. */
async function liveOutput(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-bench-'));
  try {
    const env = { ...process.env, XDG_STATE_HOME: state, NODE_ENV: 'production' };
    const harness = join(HERE, 'live-output.js');
    const warmUp = `${process.execPath} ${CHATTY} ${LINES / 5} 2`;
    const chatty = `${process.execPath} ${CHATTY} ${LINES} ${SECONDS}`;
    const resultFile = join(state, 'result.json');
    const run = (mode: 'screen' | 'floor'): LiveOutputResult => {
      const [file, args] = onTerminal(
        `${process.execPath} --expose-gc ${harness} ${mode} '${warmUp}' '${chatty}' ${resultFile}`,
      );
      const outcome = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
      if (outcome.status !== 0)
        throw new Error(`the live-output harness (${mode}) exited ${outcome.status ?? outcome.signal}`);
      return JSON.parse(readFileSync(resultFile, 'utf8')) as LiveOutputResult;
    };
    const runs = Math.max(3, Math.ceil(RUNS / 3));
    progress(
      `live output: ${LINES} lines over ${SECONDS} s through the screen and through cat, ${runs} runs each (~${runs * 15} s)`,
    );
    const screens: LiveOutputResult[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
      screens.push(run('screen'));
      floors.push(run('floor').wallMs!);
    }
    const measured = screens.map((s) => s.steps![1]!);
    const cold = screens.map((s) => s.steps![0]!);
    const peak = Math.max(...screens.map((s) => s.peakRssMiB!));
    // Flat: what the process holds after 200,000 lines is what it held after the 40,000 before.
    const growth = Math.max(...screens.map((s) => s.steps![1]!.retainedMiB - s.steps![0]!.retainedMiB));
    const rssGrowth = Math.max(...measured.map((step) => step.rssMiB.at(-1)! - (step.rssMiB[4] ?? step.rssMiB[0]!)));
    const cpu = median(measured.map((step) => step.cpuMs));
    report.push({
      part: `3. live output: ${LINES.toLocaleString('en')} lines over ${SECONDS} s, on a 120×40 terminal`,
      rows: [
        ratioRow(
          "the step's wall time",
          median(measured.map((step) => step.wallMs)),
          median(floors),
          'the command | cat',
          1.1,
        ),
        {
          what: "the wizard's CPU time over the step",
          value: ms(cpu),
          floor: `first step of the process (cold): ${ms(median(cold.map((step) => step.cpuMs)))}`,
          target: '≤ 1 s',
          ok: cpu <= 1000,
        },
        {
          what: 'peak memory of the wizard (whole run)',
          value: `${peak.toFixed(0)} MiB`,
          floor: '',
          target: '≤ 150 MiB',
          ok: peak <= 150,
        },
        {
          what: 'heap kept after the step vs after the short one (GC)',
          value: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`,
          floor: `resident: ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MiB (garbage not yet collected)`,
          target: 'flat (≤ 1 MiB)',
          ok: growth <= 1,
        },
        {
          what: 'frames drawn during the step',
          value: `${median(screens.map((s) => s.frames!)).toFixed(0)}`,
          floor: `for ${median(measured.map((step) => step.chunks)).toFixed(0)} batches of output`,
          target: '',
        },
      ],
    });
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** 2, 4 and 5: under the machine lock, in a process of their own; they report as JSON. */
function systemParts(): void {
  const reason = refusal();
  const skipped = (note: string) => {
    if (ONLY.has(2)) report.push({ part: '2. probes', rows: [], note });
    if (ONLY.has(4)) report.push({ part: '4. overhead', rows: [], note });
    if (ONLY.has(5)) report.push({ part: '5. deploy again', rows: [], note });
  };
  if (reason) {
    skipped(`SKIPPED — ${reason.replace('the end-to-end suite', 'this part')}`);
    return;
  }
  const resultFile = join(mkdtempSync(join(tmpdir(), 'uwsgi-guide-bench-')), 'system.json');
  const logFile = join(PROJECT, 'dist', 'bench', 'system-parts.log');
  const asked = [2, 4, 5].filter((part) => ONLY.has(part));
  progress(
    `part${asked.length > 1 ? 's' : ''} ${asked.join(', ')}: waiting for /tmp/machine.lock, then installs by the wizard and the plain script, in turn (minutes: uWSGI is compiled each time); every line in ${logFile}`,
  );
  const outcome = spawnSync(
    'flock',
    [
      '/tmp/machine.lock',
      process.execPath,
      join(HERE, 'system-parts.js'),
      resultFile,
      String(Math.max(3, Math.ceil(RUNS / 2))),
      [...ONLY].join(','),
    ],
    {
      stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
    },
  );
  if (outcome.status !== 0) {
    skipped(`FAILED — bench/system-parts exited ${outcome.status ?? outcome.signal} (see ${logFile})`);
    return;
  }
  const figures = JSON.parse(readFileSync(resultFile, 'utf8')) as SystemFigures;
  rmSync(dirname(resultFile), { recursive: true, force: true });
  if (figures.status) {
    const rows = [
      ratioRow('status', figures.status.wizard, figures.status.script, 'the same probes as one shell script'),
    ];
    const { doctor } = figures;
    if (doctor)
      rows.push({
        ...ratioRow(
          'doctor --json (the site healthy)',
          doctor.wizard,
          doctor.script,
          'the same looks as one shell script',
        ),
        target: '≤ 1 s',
        ok: doctor.wizard <= 1000,
      });
    report.push({ part: '2. probes (a machine set up by the wizard)', rows });
  }
  if (figures.fresh || figures.setUp) {
    report.push({
      part: '4. overhead: a whole unattended run (--yes) against the same commands as one bash script',
      rows: [
        ...(figures.fresh
          ? [
              ratioRow(
                'fresh machine (new user and app; apt packages already installed)',
                figures.fresh.wizard,
                figures.fresh.script,
                'bash',
                1.1,
              ),
            ]
          : []),
        ...(figures.freshSteps ?? []).map((step) =>
          ratioRow(`  step ${step.id}`, step.wizard * 1000, step.script * 1000, 'bash'),
        ),
        ...(figures.setUp
          ? [
              ratioRow(
                'set-up machine (every step already done)',
                figures.setUp.wizard,
                figures.setUp.script,
                'bash, each step guarded by its probes',
              ),
            ]
          : []),
      ],
      note: figures.note,
    });
  }
  if (figures.deploy)
    report.push({
      part: "5. deploy again: a person's own Flask project changed, then `deploy --yes`",
      rows: [
        ratioRow(
          'deploy --yes (copy, pip install -r, compile, import, switch, reload, checks)',
          figures.deploy.wizard,
          figures.deploy.script,
          "bash, the deploy plan's commands then a wait for the page",
        ),
      ],
      note: `medians of ${figures.deploy.runs} runs each, taken in turn; pip finds every requirement installed.`,
    });
}

function print(): void {
  const machine = `${readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="(.*)"/)?.[1] ?? 'Linux'}, ${cpus().length} CPUs, Node ${process.versions.node}`;
  const lines = [
    `uwsgi-nginx-guide bench — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine} — medians of alternated runs`,
    '',
  ];
  for (const { part, rows, note } of report) {
    lines.push(part);
    for (const row of rows) {
      const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`;
      const verdict = row.ok === undefined ? '' : row.ok ? 'ok' : 'MISSED';
      const columns = [
        row.what.padEnd(58),
        row.value.padStart(9),
        ` ${ratio.padStart(6)}`,
        ` ${(row.target ?? '').padEnd(14)}`,
      ];
      lines.push(`  ${[...columns, verdict.padEnd(6), row.floor].join(' ')}`.trimEnd());
    }
    if (note) lines.push(`  ${note}`);
    lines.push('');
  }
  process.stdout.write(lines.join('\n'));
  writeFileSync(join(PROJECT, 'dist', 'bench', 'results.json'), JSON.stringify(report, null, 2));
}

if (ONLY.has(1)) await startup();
if (ONLY.has(3)) await liveOutput();
if (ONLY.has(2) || ONLY.has(4) || ONLY.has(5)) systemParts();
print();
