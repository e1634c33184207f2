// `--simulate` for the screen and the plain output (its words are the catalogue's, labels.ts). The
// banner's first word is in both languages at once, so that nobody in a mixed class takes it for a real run.
import { say } from '../engine/plan.js';
import type { Lang, StepId, Text } from '../engine/types.js';
import { currentStep, type WizardState } from '../engine/wizard.js';
import { LABELS } from './labels.js';

/** What the screen needs to know of a simulation: drawn, never acted on. */
export interface SimulationInfo {
  /** The recording's machine, in both languages. */
  machine: Text;
  recordedAt: string;
  incident?: {
    step: StepId;
    checkId: string;
    /** What was broken, and why nginx answers 502 (ends by introducing the evidence). */
    cause: Text;
    /** nginx's error log at the time. */
    evidence: string[];
    fix: Text;
    next: Text;
  };
}

export const SIMULATION_MARK = 'SIMULATION · シミュレーション';

export function simulationWords(lang: Lang) {
  return LABELS[lang].simulation;
}

/** The banner as one line of text (the plain output's first line). */
export function simulationBanner(info: SimulationInfo, lang: Lang): string {
  const date = info.recordedAt.slice(0, 10);
  const banner = LABELS[lang].simulation.banner({ machine: say(info.machine, lang), date });
  return `*** ${SIMULATION_MARK} *** ${banner}`;
}

/** Plain output: at the recorded failure, after the failed check, what happened in the recorded run. */
export function incidentPrinter(write: (text: string) => void, info: SimulationInfo, lang: Lang, auto: boolean) {
  const { incident } = info;
  const words = LABELS[lang].simulation;
  return (state: WizardState, event: { type: string }) => {
    if (
      !incident ||
      event.type !== 'checked' ||
      state.phase.kind !== 'check-failed' ||
      currentStep(state)?.id !== incident.step
    )
      return;
    const note = [
      `  ~ ${words.recordedRun}:`,
      `    ${say(incident.cause, lang)}`,
      ...incident.evidence.map((line) => `      ${line}`),
      `    ${say(incident.fix, lang)}`,
      `    ${auto ? words.retrying : say(incident.next, lang)}`,
    ];
    write(`${note.join('\n')}\n`);
  };
}
