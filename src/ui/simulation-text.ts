// The words of `--simulate`, for the screen and the plain output. Both languages; the banner's
// first word is in both at once, so that nobody in a mixed class takes it for a real run.
import { say } from '../engine/plan.js';
import type { Lang, StepId, Text } from '../engine/types.js';
import { currentStep, type WizardState } from '../engine/wizard.js';

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

const WORDS = {
  en: {
    banner: (machine: string, date: string) =>
      `replayed from a real run recorded on ${machine}, ${date}. Nothing runs here and nothing is written.`,
    screenBanner: (date: string) =>
      `a real run recorded ${date} on the machine below, replayed: nothing runs, nothing is written`,
    evidence: "In the recorded run, nginx's error log said:",
    servingRecorded: 'serving, as recorded (a simulation: nothing answers at this address here):',
    findIt:
      'What is wrong? The "try this" above and the stack line point to it. [e] shows what it was and how it was fixed; [r] checks again as it was after the fix.',
    answers: 'The answers are those of the recorded run (flags and answers files are not used in a simulation):',
    recordedRun: 'What happened in the recorded run',
    retrying: 'The simulation checks again, as the recorded run did after the fix.',
    noLog: 'log: none — a simulation writes nothing (no progress, no transcript)',
    summary:
      'That was a simulation: nothing on this machine was changed. To do it for real, run the wizard without --simulate on a server.',
  },
  ja: {
    banner: (machine: string, date: string) =>
      `${date} に ${machine} で記録した実際の実行を再生しています。ここでは何も実行せず、何も書き込みません。`,
    screenBanner: (date: string) => `${date} に下のマシンで記録した実行の再生。何も実行・書き込みしません`,
    evidence: '記録した実行では、nginx のエラーログにこう出ていました:',
    servingRecorded: '記録どおり提供中 (シミュレーションなので、ここではこのアドレスに何も応えません):',
    findIt:
      '何が悪いのでしょう? 上の「こうしてみてください」と構成の行が手がかりです。[e] で原因と直し方を表示し、[r] で直した後の状態をもう一度確認します。',
    answers: '答えは記録した実行のものです (シミュレーションではフラグや答えのファイルは使いません):',
    recordedRun: '記録した実行で起きたこと',
    retrying: '記録した実行と同じく、直した後にもう一度確認します。',
    noLog: 'ログ: なし — シミュレーションは何も書き込みません (進捗もログも)',
    summary:
      'これはシミュレーションでした。このマシンでは何も変更していません。実際に行うには、サーバーで --simulate を付けずにウィザードを実行してください。',
  },
};

export const SIMULATION_MARK = 'SIMULATION · シミュレーション';

export function simulationWords(lang: Lang) {
  return WORDS[lang];
}

/** The banner as one line of text (the plain output's first line). */
export function simulationBanner(info: SimulationInfo, lang: Lang): string {
  return `*** ${SIMULATION_MARK} *** ${WORDS[lang].banner(say(info.machine, lang), info.recordedAt.slice(0, 10))}`;
}

/** Plain output: at the recorded failure, after the failed check, what happened in the recorded run. */
export function incidentPrinter(write: (text: string) => void, info: SimulationInfo, lang: Lang, auto: boolean) {
  const { incident } = info;
  const words = WORDS[lang];
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
