// `--simulate`: the whole guide replayed from a recording, changing nothing.
import { quizzes } from '../../steps/quizzes.js';
import { serviceManagement } from '../../steps/service.js';
import { emptyProgress } from '../engine/progress.js';
import { askQuizzes, recordQuizAnswers } from '../engine/quiz.js';
import { WizardSession } from '../engine/session.js';
import { simulationWords } from '../ui/simulation-text.js';
import { type Flags, pickLang } from './common.js';
import { exitCodeOf, presentRun, printSummary, scoreLine, summaryLines } from './present.js';
import type { Surroundings } from './surroundings.js';

/**
 * `--simulate`: the whole guide replayed from a recording of a real run (src/simulate). Nothing
 * of this machine is detected, locked, asked, run or written: no platform detection, no run
 * lock, no sudo, no questions (the recording's answers are used, and said), no progress file (the
 * record lives in the session's memory only: a simulation must never look like an installation
 * to `status` or `undo`), no transcript.
 */
export async function runSimulation(s: Surroundings, flags: Flags, auto: boolean): Promise<number> {
  const lang = pickLang(flags.lang, s.locale);
  const { loadRecording, simulationPace, startSimulation } = await import('../simulate/simulation.js');
  const { fastClock } = await import('../simulate/simulated-system.js');
  const pace = simulationPace(auto);
  const simulation = startSimulation(loadRecording(), pace);
  const words = simulationWords(lang);
  const a = simulation.ctx.answers;
  // The screen and the plain output show the banner themselves; here, before either: whose answers these are.
  s.stderr.write(
    `${words.answers} --app-name ${a.appName} --user ${a.user} --app-dir ${a.appDir} --web-group ${a.webGroup} --server-name ${a.serverName} --processes ${a.processes} --test-port ${a.testPort}\n`,
  );
  // The quizzes are asked as in a real run; their answers are kept in memory only, for the score at the end.
  const quiz = askQuizzes({ noQuiz: flags.quiz === false, auto, screen: Boolean(s.stdout.isTTY) })
    ? { questions: quizzes, answered: {} }
    : undefined;
  const session = new WizardSession(simulation.plan, simulation.system, {
    auto,
    now: fastClock(pace.clockSpeed, s.now().getTime()),
    pollMs: pace.pollMs,
    autoRetry: simulation.autoRetry,
    quiz,
  });
  simulation.follow(session);
  const end = await presentRun(s, session, simulation.system, lang, auto, simulation.info);
  const { final } = end;
  const manage = serviceManagement(simulation.ctx);
  printSummary(s, end, summaryLines(end, lang, { closing: [words.noLog, words.summary], manage, simulated: true }));
  if (Object.keys(final.quizAnswers).length > 0) {
    const now = s.now().toISOString();
    s.stdout.write(
      `${scoreLine(recordQuizAnswers(emptyProgress(simulation.ctx.answers, now), final.quizAnswers, now), lang)}\n`,
    );
  }
  return exitCodeOf(final);
}
