// `--simulate`: everything a simulated run needs, from a recording alone. The plan is built from
// the recorded answers and platform (nothing of this machine is detected or asked), commands and
// checks are answered by the SimulatedSystem, and the recorded failure (the 502 of a socket nginx
// cannot use) is fixed, as it was in the recorded run, when the person asks to check again.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curriculum } from '../../steps/index.js';
import { builtInFile } from '../exec/self.js';
import { buildPlan } from '../engine/plan.js';
import type { Lang, Plan, PlanContext, Platform, Text } from '../engine/types.js';
import { LABELS } from '../ui/labels.js';
import { currentStep, type WizardEvent, type WizardState } from '../engine/wizard.js';
import type { SimulationInfo } from '../ui/simulation-text.js';
import { incidentStory } from './incident.js';
import { parseRecording, RecordingError, type Recording } from './recording.js';
import { replayEveryStep } from './replay-plan.js';
import { SimulatedSystem } from './simulated-system.js';

/** The recordings shipped with the wizard, in the package's fixtures/. */
export const RECORDINGS_DIR = join(packageDir(dirname(fileURLToPath(import.meta.url))), 'fixtures', 'recordings');

/**
 * The package's own directory, the nearest one up with a package.json: this module runs as
 * dist/src/simulate/simulation.js in the tests and from the bundle's dist/bundle/lazy/ as shipped.
 */
function packageDir(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return resolve(from, '..', '..', '..');
}
export const DEFAULT_RECORDING = 'debian-12-noinit';

export function loadRecording(name = DEFAULT_RECORDING, dir = RECORDINGS_DIR): Recording {
  const path = join(dir, `${name}.json`);
  // The standalone executable has the shipped recordings inside it: no fixtures/ lies beside it.
  const builtIn = dir === RECORDINGS_DIR ? builtInFile(`recordings/${name}.json`) : undefined;
  if (builtIn !== undefined) return parseRecording(builtIn, `${name}.json (built into the executable)`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RecordingError({ kind: 'missing', path, code });
  }
  return parseRecording(text, path);
}

export interface Simulation {
  ctx: PlanContext;
  plan: Plan;
  system: SimulatedSystem;
  info: SimulationInfo;
  /**
   * Follow the run: when the person retries (or redoes) the step of the recorded failure, the machine is as after its
   * fix.
   */
  follow(session: { subscribe(listener: (state: WizardState, event: WizardEvent) => void): () => void }): void;
  /** Unattended (--yes): the recorded failure is checked again, as the recorded run did, instead of ending the run. */
  autoRetry(state: WizardState): boolean;
}

/** The recorded machine in words, from its platform row (the recording's own line is English only). */
function describeMachine(platform: Platform): Text {
  const words = (lang: Lang) =>
    `${platform.prettyName} (${LABELS[lang].serviceManager[platform.serviceManager]}, Python ${platform.pythonVersion})`;
  return { en: words('en'), ja: words('ja') };
}

export interface SimulationOptions {
  /** The longest a command's replay takes (ms). */
  maxActionMs: number;
}

export interface SimulationPace extends SimulationOptions {
  /** How many times faster than the wall clock the session's clock runs (its settle waits). */
  clockSpeed: number;
  /** How often the session asks a check again while it settles (ms). */
  pollMs: number;
}

/** Unattended (--yes), a whole run takes seconds; at the screen a long build still looks like one. */
export function simulationPace(auto: boolean): SimulationPace {
  return { maxActionMs: auto ? 150 : 4000, clockSpeed: 20, pollMs: 20 };
}

export function startSimulation(recording: Recording, options: SimulationOptions): Simulation {
  const ctx = recording.context;
  const plan = replayEveryStep(buildPlan(curriculum, ctx));
  const system = new SimulatedSystem(recording, plan, { maxActionMs: options.maxActionMs });
  const recorded = recording.incident;
  const info: SimulationInfo = {
    machine: describeMachine(ctx.platform),
    recordedAt: recording.recordedAt,
    incident: recorded && {
      step: recorded.step,
      checkId: recorded.checkId,
      evidence: recorded.evidence,
      ...incidentStory(ctx, recorded.fixCommand),
    },
  };
  const atIncident = (state: WizardState) =>
    recorded !== undefined &&
    state.phase.kind === 'check-failed' &&
    currentStep(state)?.id === recorded.step &&
    state.checkResults.some((r) => r.checkId === recorded.checkId && !r.ok);
  let retried = false;
  return {
    ctx,
    plan,
    system,
    info,
    follow(session) {
      let previous: WizardState | undefined;
      session.subscribe((state, event) => {
        // Listeners hear an event before the session acts on the new phase: the fix is in place before the checks are
        // asked again.
        if ((event.type === 'retry' || event.type === 'redo') && previous && atIncident(previous)) system.applyFix();
        previous = state;
      });
    },
    autoRetry(state) {
      if (retried || !atIncident(state)) return false;
      retried = true;
      return true;
    },
  };
}
