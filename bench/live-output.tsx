// The live-output bench's subject, run by bench/run.ts inside a pseudo-terminal: steps whose
// command is bench/chatty.js, through the wizard's real session, real System (child process,
// pipes) and real screen (ink, the App and its output pane), as a person confirms them: the path
// a `pip install --verbose` takes. `floor` runs the measured command piped to `cat` on the same
// terminal instead.
//
// The measured step comes second, after a shorter one of the same kind: in a real run the
// pip step is the fifth, and the screen has drawn apt's and venv's output by then (V8 has compiled
// the drawing code). The first step's figures are reported too, as the cold case.
//
// It writes what it measured as JSON to the path given: per step its wall time and this process's
// CPU time (the command's own is not counted: it is another process); the peak resident memory,
// and samples over the run to show whether it grows.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { WizardSession } from '../src/engine/session.js';
import type { Plan } from '../src/engine/types.js';
import { detectPlatform } from '../src/exec/platform.js';
import { createRealSystem } from '../src/exec/system.js';
import { openTranscript } from '../src/exec/transcript.js';
import { ANSWERS, commandAction, step } from '../test/helpers.js';

export interface StepFigures {
  wallMs: number;
  cpuMs: number;
  /** Batches of output the session received (src/exec/output-batch.ts). */
  chunks: number;
  /** Resident memory (MiB) every 250 ms while the step ran. */
  rssMiB: number[];
  /**
   * The heap still in use after a full garbage collection (MiB) at the step's end, taken after its
   * CPU time (a collection during the step would cost it CPU and make V8 throw away compiled
   * code): what the process keeps, without the garbage V8 has not collected yet. Flat when the
   * pane keeps only what it shows: the same after the long step as after the short one.
   */
  retainedMiB: number;
}

export interface LiveOutputResult {
  /** The floor: the command piped to cat. */
  wallMs?: number;
  /** The screen: the warm-up step, then the measured one. */
  steps?: StepFigures[];
  /** The kernel's high-water mark of the process's resident memory over the whole run. */
  peakRssMiB?: number;
  /** Frames ink drew while the measured step ran. */
  frames?: number;
}

const [mode, warmUpCommand, command, resultPath] = process.argv.slice(2) as [
  'screen' | 'floor',
  string,
  string,
  string,
];

const MiB = 1024 * 1024;
/** How long a command is shown before it is confirmed, as a person would read it. */
const CONFIRM_AFTER_MS = 1000;

/** The kernel's high-water mark of this process's resident memory (VmHWM), in MiB. */
function peakRssMiB(): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
}

async function floor(): Promise<LiveOutputResult> {
  const startedAt = process.hrtime.bigint();
  await new Promise((resolve) =>
    spawn('/bin/sh', ['-c', `${command} | cat`], { stdio: ['ignore', 'inherit', 'inherit'] }).on('close', resolve),
  );
  return { wallMs: Number(process.hrtime.bigint() - startedAt) / 1e6 };
}

async function screen(): Promise<LiveOutputResult> {
  // As the CLI does before ink loads (src/commands.ts loadInk): under CI ink would draw one frame.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ render }, { createElement }, { App }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../src/ui/App.js'),
  ]);
  const plan: Plan = {
    platform: detectPlatform(),
    answers: ANSWERS,
    steps: [
      step('virtualenv', { actions: [commandAction('warm-up', warmUpCommand, { timeoutSec: 600 })] }),
      step('uwsgi', { actions: [commandAction('measured', command, { timeoutSec: 600 })] }),
    ],
  };
  // The run's log too, as the CLI keeps it (in the state directory bench/run.ts gives it).
  const transcript = openTranscript();
  const session = new WizardSession(plan, createRealSystem(), { auto: false, transcript });
  const confirm = setInterval(() => {
    if (session.getState().phase.kind === 'confirm') session.dispatch({ type: 'continue', at: Date.now() });
  }, CONFIRM_AFTER_MS);

  const steps: StepFigures[] = [];
  let current: { startedAt: bigint; cpu: NodeJS.CpuUsage; chunks: number; rssMiB: number[] } | undefined;
  // Started with --expose-gc by bench/run.ts.
  const retainedMiB = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed / MiB;
  };
  const sampler = setInterval(() => current?.rssMiB.push(Math.round((process.memoryUsage.rss() / MiB) * 10) / 10), 250);
  let frames = 0;
  /** Frames drawn while the measured step ran (the last step). */
  let stepFrames = 0;
  session.subscribe((state, event) => {
    if (state.phase.kind === 'running' && !current) {
      current = { startedAt: process.hrtime.bigint(), cpu: process.cpuUsage(), chunks: 0, rssMiB: [] };
      frames = 0;
    }
    if (event.type === 'output' && current) current.chunks += 1;
    if (event.type === 'action-finished' && current) {
      stepFrames = frames;
      const cpu = process.cpuUsage(current.cpu);
      steps.push({
        wallMs: Number(process.hrtime.bigint() - current.startedAt) / 1e6,
        cpuMs: (cpu.user + cpu.system) / 1000,
        chunks: current.chunks,
        rssMiB: current.rssMiB,
        retainedMiB: retainedMiB(),
      });
      current = undefined;
    }
  });
  const app = render(createElement(App, { session, lang: 'en', auto: false }), {
    exitOnCtrlC: false,
    onRender: () => {
      frames += 1;
    },
  });
  const final = await session.run();
  clearInterval(confirm);
  clearInterval(sampler);
  app.unmount();
  await transcript.close();
  if (final.phase.kind !== 'finished') throw new Error(`the steps did not finish: ${JSON.stringify(final.phase)}`);
  return { steps, peakRssMiB: peakRssMiB(), frames: stepFrames };
}

const result = mode === 'floor' ? await floor() : await screen();
writeFileSync(resultPath, JSON.stringify(result));
process.exit(0);
