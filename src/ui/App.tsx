// The screen. It draws the session's state and turns keys into the session's events; it runs
// nothing itself.
import { doctorOnFailureLines } from './doctor-report.js';
import { Box, type DOMElement, measureElement, Static, Text, useInput } from 'ink';
import {
  createContext,
  memo,
  useContext,
  useEffect,
  useLayoutEffect,
  useReducer,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { glossary as allTerms } from '../../steps/glossary.js';
import { differsFromGuide } from '../engine/commands.js';
import { lockWaitGaveUp, lockWaitLeft, lockWaitText } from './lock-wait-text.js';
import type { GlossaryEntry } from '../engine/glossary.js';
import type { JournalEntry } from '../engine/journal.js';
import type { Finding } from '../engine/doctor/model.js';
import { foundByHand, stopCommand } from '../engine/take-over.js';
import { octal, say } from '../engine/plan.js';
import type { Action, Check, CheckResult, Lang, PlannedStep, Platform } from '../engine/types.js';
import {
  actionAt,
  currentStep,
  failureChecks,
  type LockWait,
  outputTail,
  runChecks,
  type WizardEvent,
  type WizardState,
} from '../engine/wizard.js';
import { entryWords } from './entry-text.js';
import { GlossaryOverlay, useGlossaryOverlay } from './Glossary.js';
import { DiffLines } from './DiffLines.js';
import { HandsOnView } from './HandsOn.js';
import { failureReason, fileOutcomeText, LABELS, type Labels } from './labels.js';
import { expandTabs, fitColumns, STATUS_MARK } from './marks.js';
import { diffLines, expectedText, foundText, warningText } from './probe-text.js';
import { machineLine } from './plain.js';
import { hangingLines, packItems, keysOf, proseLines, widestLine, wrapHanging } from './prose.js';
import { quizKeys, QuizView } from './Quiz.js';
import { FRAME_MS, useSessionState, type StateSource } from './session-state.js';
import { IncidentNote, SimulationBanner } from './Simulation.js';
import { simulationWords, type SimulationInfo } from './simulation-text.js';
import { StackLine, type StackView } from './StackLine.js';
import { useTerminalSize } from './terminal-size.js';

export interface SessionView extends StateSource {
  dispatch(event: WizardEvent): void;
  interrupt(): void;
}

export interface AppProps {
  session: SessionView;
  lang: Lang;
  auto: boolean;
  /** Lines of live output shown while a command runs. */
  paneLines?: number;
  /** What the glossary overlay ([g]) explains. */
  glossary?: readonly GlossaryEntry[];
  /** The stack line's status (browser → nginx → socket → uWSGI → app), drawn in every step. */
  stack?: StackView;
  /** A simulated run (--simulate): a banner on every frame, the recorded failure explained. */
  simulation?: SimulationInfo;
}

/** Keys that work on every screen, added to each key bar (the glossary's). */
const EverywhereKeys = createContext('');

/**
 * Rows the running screen needs besides the output pane (machine, stack, progress, title, command
 * box, keys), until it is measured: a first guess for a wide terminal.
 */
const CHROME_ROWS_GUESS = 19;
/** The fewest lines of output shown, whatever the terminal: fewer says nothing of what runs. */
const PANE_MIN = 3;

const noSubscription = () => () => undefined;
const noStackState = () => undefined;

/** Whether the screen shows the output pane that gives up rows on a small terminal (`paneLines`). */
function hasFlexiblePane(state: WizardState): boolean {
  const { kind } = state.phase;
  if (kind === 'running' || kind === 'stopping' || kind === 'serving') return true;
  return kind === 'action-failed' && (state.output.lines.length > 0 || state.output.partial !== '');
}

export function App({ session, lang, auto, paneLines = 10, glossary = allTerms, stack, simulation }: AppProps) {
  const state = useSessionState(session);
  // A frame as tall as the terminal makes ink clear and redraw the whole screen on every spinner
  // tick: the pane gives up rows on a small terminal so the running screen always fits. What the
  // rest takes is measured as ink laid it out at this width (a stack line, a title or a key bar
  // wraps on a narrow terminal), not counted beforehand.
  const { rows } = useTerminalSize();
  const screenBox = useRef<DOMElement>(null);
  const [chromeRows, setChromeRows] = useState(CHROME_ROWS_GUESS + (stack ? 1 : 0) + (simulation ? 3 : 0));
  // One row to spare: a frame exactly as tall as the terminal is cleared as well.
  const pane = Math.max(PANE_MIN, Math.min(paneLines, rows - 1 - chromeRows - 2));
  // The stack line is drawn from a store of its own: its rows change without a state of the run.
  useSyncExternalStore(stack?.subscribe ?? noSubscription, stack?.getState ?? noStackState);
  const flexiblePane = hasFlexiblePane(state);
  // Where even the fewest lines of output would not fit, the screen leaves out what can wait (the
  // banner's words, the machine, the steps' strip) for as long as this action runs at this size:
  // measured without them, it would otherwise seem to have room again.
  const { columns } = useTerminalSize();
  const compactKey = `${state.stepIndex}:${'action' in state.phase ? state.phase.action : ''}:${columns}x${rows}`;
  const [compactFor, setCompactFor] = useState<string>();
  // A failed check has no pane to give up rows (its checks, "try this" and, in a simulation, the
  // recorded incident are all to be read): where it is taller than the terminal, it is the same
  // leaving out that makes it fit, or the banner's top would scroll off.
  const checkFailed = state.phase.kind === 'check-failed';
  const compact = (flexiblePane || checkFailed) && compactFor === compactKey;
  // Drawn anew when a part of the screen grows by keys of its own (the incident's [e]), to be measured again.
  const [, grown] = useReducer((times: number) => times + 1, 0);
  useLayoutEffect(() => {
    if (!(flexiblePane || checkFailed) || !screenBox.current) return;
    const height = measureElement(screenBox.current).height;
    if (checkFailed) {
      if (!compact && height > rows - 1) setCompactFor(compactKey);
      return;
    }
    const measured = height - (pane + 2);
    if (measured !== chromeRows) setChromeRows(measured);
    if (!compact && measured + PANE_MIN + 2 > rows - 1) setCompactFor(compactKey);
  });
  const l = LABELS[lang];
  const { view: glossaryView, isOpen: glossaryOpen } = useGlossaryOverlay(glossary.length);
  useWizardKeys(session, state, auto, glossaryOpen);
  const step = currentStep(state);
  const finishedSteps = state.plan.steps.slice(0, state.stepIndex);
  const running = state.phase.kind === 'running' || state.phase.kind === 'serving' ? state.phase.startedAt : undefined;
  return (
    <Box flexDirection="column">
      <Static items={finishedSteps}>
        {(done) => (
          <Box key={done.id} flexDirection="column">
            <Text color={state.statuses[done.id] === 'skipped' ? 'yellow' : 'green'}>
              {STATUS_MARK[state.statuses[done.id]]} {say(done.title, lang)}{' '}
              <Text dimColor>
                [{done.id}] {l.status[state.statuses[done.id]]}
              </Text>
            </Text>
            {(state.proofs[done.id] ?? []).map((proof) => (
              <Text key={proof.checkId} dimColor>
                {'    '}
                {proof.ok ? '✓' : '✗'} {checkTitle(done, proof.checkId, lang)} —{' '}
                {foundText(proof.observed, lang, stepCheck(done, proof.checkId)?.probe)}
              </Text>
            ))}
          </Box>
        )}
      </Static>
      {step && glossaryView.open ? (
        // In place of the step while open: the wizard goes on behind it, its keys wait.
        <GlossaryOverlay
          entries={glossary}
          step={step}
          top={glossaryView.top}
          height={Math.max(5, rows - 10)}
          l={l}
          lang={lang}
        >
          {running !== undefined ? <Spinner label={l.running} since={running} /> : null}
        </GlossaryOverlay>
      ) : step ? (
        <Box ref={screenBox} flexDirection="column">
          <StepScreen
            state={state}
            step={step}
            l={l}
            lang={lang}
            auto={auto}
            paneLines={pane}
            stack={stack}
            simulation={simulation}
            compact={compact}
            grown={grown}
          />
        </Box>
      ) : null}
    </Box>
  );
}

/** While the glossary is open (its own keys: g, Esc, arrows), the wizard's keys wait; Ctrl-C does not. */
function useWizardKeys(session: SessionView, state: WizardState, auto: boolean, glossaryOpen: () => boolean) {
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return session.interrupt();
    if (glossaryOpen()) return;
    const phase = state.phase.kind;
    const at = Date.now();
    if (input === 'q') return session.interrupt();
    if (auto) return;
    if (phase === 'quiz') {
      if (key.upArrow || key.downArrow) return session.dispatch({ type: 'quiz-move', by: key.upArrow ? -1 : 1 });
      if (key.return) return session.dispatch({ type: 'quiz-confirm' });
      if (/^[1-9]$/.test(input)) return session.dispatch({ type: 'quiz-pick', choice: Number(input) - 1 });
      return;
    }
    if (phase === 'found-running' && input === 'k') return session.dispatch({ type: 'keep-found' });
    if (
      (phase === 'confirm' || phase === 'reading' || phase === 'serving' || phase === 'found-running') &&
      (key.return || input === 'y')
    )
      return session.dispatch({ type: 'continue', at });
    if ((phase === 'confirm' || phase === 'action-failed' || phase === 'check-failed') && input === 's')
      return session.dispatch({ type: 'skip' });
    if ((phase === 'action-failed' || phase === 'check-failed') && input === 'r')
      return session.dispatch({ type: 'retry', at });
    if (phase === 'check-failed' && input === 'd') return session.dispatch({ type: 'redo' });
    if (phase === 'hands-on' && input === 'h') return session.dispatch({ type: 'hint' });
    if (phase === 'hands-on' && input === 's') return session.dispatch({ type: 'skip' });
    if (phase === 'confirm' && input === 'b') return session.dispatch({ type: 'by-hand' });
    if (phase === 'file-differs' && input === 'r') return session.dispatch({ type: 'replace-file', at });
    if (phase === 'file-differs' && input === 'k') return session.dispatch({ type: 'keep-file' });
    if (phase === 'file-differs' && input === 'v') return session.dispatch({ type: 'toggle-new-file' });
  });
}

interface StepScreenProps {
  state: WizardState;
  step: PlannedStep;
  l: Labels;
  lang: Lang;
  auto: boolean;
  paneLines: number;
  stack?: StackView;
  simulation?: SimulationInfo;
  /** A terminal too small for the running screen: only what the running command needs. */
  compact: boolean;
  /** Said when a part of the screen has grown by its own keys: the screen is measured again. */
  grown: () => void;
}

function StepScreen({ state, step, l, lang, auto, paneLines, stack, simulation, compact, grown }: StepScreenProps) {
  const { phase } = state;
  const total = state.plan.steps.length;
  const actionIndex = 'action' in phase ? phase.action : undefined;
  const action = actionIndex === undefined ? undefined : actionAt(state, step, actionIndex);
  // While a command runs, its output needs the room: the explanation was read before confirming.
  const showExplanation = ['reading', 'confirm', 'probing', 'preflight', 'hands-on', 'found-running'].includes(
    phase.kind,
  );
  return (
    <Box flexDirection="column" marginTop={1}>
      {simulation ? <SimulationBanner info={simulation} lang={lang} oneRow={compact} /> : null}
      {compact ? null : <PlatformLine platform={state.plan.platform} l={l} />}
      {stack ? <StackLine stack={stack} lang={lang} /> : null}
      {compact ? null : (
        <ProgressStrip steps={state.plan.steps} statuses={state.statuses} stepIndex={state.stepIndex} />
      )}
      <StepTitle step={step} number={state.stepIndex + 1} total={total} l={l} lang={lang} />
      {auto ? <Text dimColor>{l.auto}</Text> : null}
      {state.handsOn ? <Text dimColor>{l.handsOn.mode}</Text> : null}
      {showExplanation ? (
        <Explanation step={step} byHand={state.handsOn && !state.takenOver} l={l} lang={lang} />
      ) : null}
      {showExplanation && state.preflightResults.length > 0 ? (
        <Box marginTop={1}>
          <CheckList checks={step.preflight ?? []} results={state.preflightResults} l={l} lang={lang} warnings />
        </Box>
      ) : null}
      {state.completedActions.length > 0 ? <CompletedActions state={state} step={step} l={l} lang={lang} /> : null}
      {phase.kind === 'confirm' && state.output.lines.length > 0 ? (
        <OutputPane lines={outputTail(state.output, 5)} height={5} title={l.outputTail} />
      ) : null}
      {phase.kind === 'confirm' && state.takenOver ? <Text color="cyan">{l.handsOn.doingForYou}</Text> : null}
      {action && actionIndex !== undefined ? (
        <ActionView
          action={action}
          index={sameKindGoneThrough(state, step, action).indexOf(action)}
          count={sameKindGoneThrough(state, step, action).length}
          l={l}
          lang={lang}
          brief={phase.kind === 'running' || phase.kind === 'stopping' || phase.kind === 'serving'}
        />
      ) : null}
      <EverywhereKeys.Provider value={l.glossary.key}>
        <PhaseView
          state={state}
          step={step}
          l={l}
          lang={lang}
          paneLines={paneLines}
          simulated={simulation !== undefined}
        />
      </EverywhereKeys.Provider>
      {simulation?.incident?.step === step.id &&
      phase.kind === 'check-failed' &&
      state.checkResults.some((r) => r.checkId === simulation.incident?.checkId && !r.ok) ? (
        <IncidentNote incident={simulation.incident} lang={lang} grown={grown} />
      ) : null}
    </Box>
  );
}

// The parts of the step's screen below are memo components: while a command runs, the state
// changes with every frame of output, and only the spinner and the output pane should be drawn
// anew. Drawn again, each would cost React its work and ink new closures for its text, which the
// JIT then has to compile for again (npm run bench).

/** Which machine the plan is for, in one line: detected, or named with --platform. */
const PlatformLine = memo(function PlatformLine({ platform, l }: { platform: Platform; l: Labels }) {
  return (
    <Text dimColor wrap="truncate">
      {machineLine(platform, l)}
    </Text>
  );
});

const ProgressStrip = memo(function ProgressStrip({
  steps,
  statuses,
  stepIndex,
}: {
  steps: readonly PlannedStep[];
  statuses: WizardState['statuses'];
  stepIndex: number;
}) {
  return (
    <Text>
      {steps.map((s, i) => (
        <Text key={s.id} color={i === stepIndex ? 'cyan' : statuses[s.id] === 'todo' ? 'gray' : 'green'}>
          {i === stepIndex ? '▶' : STATUS_MARK[statuses[s.id]]}
          {s.id}{' '}
        </Text>
      ))}
    </Text>
  );
});

const StepTitle = memo(function StepTitle({
  step,
  number,
  total,
  l,
  lang,
}: {
  step: PlannedStep;
  number: number;
  total: number;
  l: Labels;
  lang: Lang;
}) {
  return (
    <Text bold color="cyan">
      {l.step} {number} {l.of} {total} · {say(step.title, lang)}{' '}
      <Text dimColor>
        ({l.guideSection}
        {step.section}, {step.id})
      </Text>
    </Text>
  );
});

/** The step's explanation; for a student typing it (hands-on), the words meant for them where the step has its own. */
function Explanation({ step, byHand, l, lang }: { step: PlannedStep; byHand: boolean; l: Labels; lang: Lang }) {
  const { columns } = useTerminalSize();
  const explain = byHand ? (step.handsOn?.explain ?? step.explain) : step.explain;
  // The diagram's box: a border and a space of padding on each side. The small drawing when the
  // wide one would not fit: ink would wrap its lines and take the drawing apart.
  const wide = step.diagram ? say(step.diagram, lang) : undefined;
  const diagram =
    wide !== undefined && widestLine(wide) + 4 > columns && step.diagramNarrow ? say(step.diagramNarrow, lang) : wide;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>{proseLines(say(explain, lang), columns).join('\n')}</Text>
      {diagram !== undefined ? (
        <Box marginTop={1} borderStyle="round" paddingX={1} alignSelf="flex-start">
          <Text color="magenta">{diagram}</Text>
        </Box>
      ) : null}
      {step.notes.map((note, i) => (
        <Box key={i} marginTop={1}>
          <Text color="yellow">{proseLines(`${l.note} ${say(note, lang)}`, columns).join('\n')}</Text>
        </Box>
      ))}
    </Box>
  );
}

const ActionView = memo(function ActionView({
  action,
  index,
  count,
  l,
  lang,
  brief,
}: {
  action: Action;
  index: number;
  count: number;
  l: Labels;
  lang: Lang;
  /**
   * While it runs: its heading on one row and the command; what was read before confirming is left
   * out, as the output needs the room.
   */
  brief: boolean;
}) {
  const heading = `${action.kind === 'command' ? l.command : l.file} ${index + 1} ${l.of} ${count}`;
  if (brief)
    return (
      // A box of its own (key): ink keeps a text's measured height when only its wrapping changes.
      <Box key="brief" flexDirection="column" marginTop={1} borderStyle="single" borderColor="blue" paddingX={1}>
        <Text dimColor wrap="truncate">
          {heading} — {say(action.explain, lang)}
        </Text>
        {action.kind === 'command' ? <Text bold>$ {action.command}</Text> : <Text bold>{action.path}</Text>}
        {action.kind === 'command' && action.cwd ? (
          <Text dimColor wrap="truncate">
            {' '}
            ({l.in}: {action.cwd})
          </Text>
        ) : null}
      </Box>
    );
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="single" borderColor="blue" paddingX={1}>
      <Text dimColor>
        {heading} — {say(action.explain, lang)}
      </Text>
      {action.kind === 'command' ? (
        <>
          <Text bold>$ {action.command}</Text>
          {action.cwd ? (
            <Text dimColor>
              {' '}
              ({l.in}: {action.cwd})
            </Text>
          ) : null}
          {differsFromGuide(action) ? (
            <Text dimColor>
              {l.guideSays} {action.guideCommand}
            </Text>
          ) : null}
          {action.whyDifferent ? <Text color="yellow">{say(action.whyDifferent, lang)}</Text> : null}
        </>
      ) : (
        <>
          <Text bold>
            {action.path}{' '}
            <Text dimColor>
              ({l.owner} {action.owner}:{action.group}, {l.mode} {octal(action.mode)})
            </Text>
          </Text>
          {action.guidePath && action.guidePath !== action.path ? (
            <Text dimColor>
              {l.guideSays} {action.guidePath}
            </Text>
          ) : null}
          {action.whyDifferent ? <Text color="yellow">{say(action.whyDifferent, lang)}</Text> : null}
          <Text color="green">{action.content.replace(/\n$/, '')}</Text>
        </>
      )}
    </Box>
  );
});

function PhaseView({
  state,
  step,
  l,
  lang,
  paneLines,
  simulated = false,
}: {
  state: WizardState;
  step: PlannedStep;
  l: Labels;
  lang: Lang;
  paneLines: number;
  simulated?: boolean;
}) {
  const { phase } = state;
  const { columns } = useTerminalSize();
  const isFile = 'action' in phase && actionAt(state, step, phase.action)?.kind === 'file';
  switch (phase.kind) {
    case 'probing':
      return <Spinner label={l.probing} />;
    case 'preflight':
      return <Spinner label={l.preflight} />;
    case 'reading':
      return <Keys text={l.keysReading} />;
    case 'found-running': {
      const check = step.preflight?.[phase.check];
      const result = state.preflightResults.find((r) => r.checkId === check?.id);
      const found = result ? foundByHand(result.observed) : [];
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow">{wrapHanging(l.foundRunning, columns).join('\n')}</Text>
          {check && found.length > 0 ? <Text>$ {stopCommand(check, found).command}</Text> : null}
          <Keys text={l.keysFoundRunning} />
        </Box>
      );
    }
    case 'taking-over':
      return (
        <Box flexDirection="column" marginTop={1}>
          <OutputPane lines={outputTail(state.output, 5)} height={5} />
          <Spinner label={l.takingOver} />
        </Box>
      );
    case 'confirm':
      if (state.takenOver && state.completedActions.length === 0) return <Keys text={l.handsOn.keysConfirmForYou} />;
      return <Keys text={isFile ? l.keysConfirmFile : l.keysConfirmCommand} />;
    case 'hands-on': {
      const level = state.hints[step.id] ?? 0;
      return (
        <Box flexDirection="column">
          <HandsOnView state={state} step={step} l={l} lang={lang} />
          {/* No spinner: with the file and the hints the screen may be taller than the terminal,
              and a ticking frame taller than the terminal is redrawn whole on every tick. The
              screen changes when what is watched changes. */}
          <Text color="cyan">… {l.handsOn.watching}</Text>
          <Keys text={level >= 2 ? l.handsOn.keysLast : l.handsOn.keys({ level: level + 1 })} />
        </Box>
      );
    }
    case 'running':
    case 'stopping': {
      // apt is waited for once dpkg is at work, never cut off (src/exec/system.ts): say so, with the time since.
      const finishing = phase.kind === 'stopping' && phase.finishing === true;
      const stoppingLabel = finishing ? l.finishingPackages : l.stopping;
      // Only a command that asked apt to wait waits (apt-get update fails at once: see its failure).
      const waiting = phase.kind === 'running' && state.lockWait?.limitSec !== undefined ? state.lockWait : undefined;
      return (
        <Box flexDirection="column">
          <Spinner
            label={phase.kind === 'stopping' ? stoppingLabel : l.running}
            since={phase.kind === 'running' ? phase.startedAt : phase.since}
          />
          {finishing && (phase.asked ?? 1) > 1 && <Text color="yellow">{l.finishingPackagesAgain}</Text>}
          {waiting ? <LockWaitView wait={waiting} l={l} /> : null}
          <OutputPane lines={outputTail(state.output, paneLines)} height={paneLines} />
          {!finishing && <Keys text={waiting ? l.keysLockWait : l.keysRunning} />}
        </Box>
      );
    }
    case 'file-differs': {
      const file = actionAt(state, step, phase.action);
      // The file itself is already shown above in full; here: how the person's version differs.
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow" bold>
            ! {l.fileDiffers}
          </Text>
          <Box flexDirection="column" borderStyle="single" borderColor="yellow" paddingX={1}>
            {(phase.showNew && file?.kind === 'file' ? file.content : phase.diff)
              .replace(/\n$/, '')
              .split('\n')
              .slice(phase.showNew ? 0 : 2, 40)
              .map((line, i) => (
                <Text
                  key={i}
                  wrap="truncate"
                  color={
                    phase.showNew
                      ? undefined
                      : line.startsWith('+')
                        ? 'green'
                        : line.startsWith('-')
                          ? 'red'
                          : undefined
                  }
                >
                  {expandTabs(line) || ' '}
                </Text>
              ))}
          </Box>
          <Keys text={l.keysFileDiffers} />
        </Box>
      );
    }
    case 'serving': {
      const serving = actionAt(state, step, phase.action);
      const servingUrl = serving?.kind === 'command' ? (serving.whileRunning?.browseUrl ?? '') : '';
      return (
        <Box flexDirection="column">
          <CheckList checks={runChecks(step)} results={state.runResults} l={l} lang={lang} />
          <Spinner
            label={`${simulated ? simulationWords(lang).servingRecorded : l.serving} ${servingUrl}`}
            since={phase.startedAt}
          />
          <OutputPane lines={outputTail(state.output, paneLines)} height={paneLines} />
          <Keys text={l.keysServing} />
        </Box>
      );
    }
    case 'action-failed': {
      const failedAction = actionAt(state, step, phase.action);
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold>
            ✗ {l.failedCommand}
            {phase.failure.timedOut
              ? ` (${l.timedOut})`
              : phase.failure.exitCode !== null
                ? ` (${l.exitCode} ${phase.failure.exitCode})`
                : ''}
          </Text>
          {phase.failure.message ? <Text color="red">{failureReason(phase.failure, lang)}</Text> : null}
          {state.lockWait ? <Text color="yellow">{lockWaitGaveUp(state.lockWait, l)}</Text> : null}
          <CheckList checks={runChecks(step)} results={state.runResults} l={l} lang={lang} />
          {/* A file that could not be written has no output: its failure above says why. */}
          {state.output.lines.length > 0 || state.output.partial !== '' ? (
            <OutputPane lines={outputTail(state.output, paneLines)} height={paneLines} title={l.outputTail} />
          ) : null}
          {failedAction?.kind === 'command' && failedAction.tryThis ? (
            <Text>
              {l.tryThis}: {say(failedAction.tryThis, lang)}
            </Text>
          ) : null}
          {state.notTakenBack.length > 0 ? <NotTakenBack entries={state.notTakenBack} l={l} lang={lang} /> : null}
          {phase.doctor ? <DoctorFinding finding={phase.doctor} lang={lang} /> : null}
          <Keys text={l.keysActionFailed} />
        </Box>
      );
    }
    case 'checking':
      return (
        <Box flexDirection="column" marginTop={1}>
          <CheckList checks={runChecks(step)} results={state.runResults} l={l} lang={lang} />
          {/* What the last command said stays readable while its result is checked (a quick one,
              such as systemctl enable, would otherwise flash by in its pane). */}
          {state.output.lines.length > 0 ? (
            <OutputPane lines={outputTail(state.output, 5)} height={5} title={l.outputTail} />
          ) : null}
          <Spinner label={l.checking} />
        </Box>
      );
    case 'check-failed':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold>
            ✗ {l.checksFailed}
          </Text>
          <CheckList
            checks={failureChecks(step)}
            results={[...state.runResults, ...state.checkResults]}
            l={l}
            lang={lang}
          />
          {state.output.lines.length > 0 ? <LastOutput state={state} l={l} /> : null}
          {phase.doctor ? <DoctorFinding finding={phase.doctor} lang={lang} /> : null}
          <Keys text={l.keysCheckFailed} />
        </Box>
      );
    case 'quiz':
      return (
        <Box flexDirection="column">
          <QuizView run={phase.run} l={l} lang={lang} />
          <Keys text={quizKeys(phase.run, l)} />
        </Box>
      );
    case 'finished':
    case 'quit':
      return null;
  }
}

/** What the doctor found after a failure: the heading, the finding in red, its evidence and fix. */
function DoctorFinding({ finding, lang }: { finding: Finding; lang: Lang }) {
  const { columns } = useTerminalSize();
  return (
    <Box flexDirection="column" marginTop={1}>
      {doctorOnFailureLines(finding, lang).map((line, i) => (
        <Text key={`${i}-${line}`} color={i === 1 ? 'red' : undefined} bold={i === 0}>
          {hangingLines([line], columns).join('\n')}
        </Text>
      ))}
    </Box>
  );
}

/** A rollback that failed: what is still on the machine (and in the record, for undo), and what to try. */
function NotTakenBack({ entries, l, lang }: { entries: JournalEntry[]; l: Labels; lang: Lang }) {
  return (
    <Box flexDirection="column">
      <Text color="red">{l.rollbackKept}</Text>
      {[...entries].reverse().map((entry, i) => (
        <Text key={i} color="red">
          {'  ✗ '}
          {entryWords(entry, lang)}
        </Text>
      ))}
      <Text>{l.rollbackKeptTryNow}</Text>
    </Box>
  );
}

function stepCheck(step: PlannedStep, checkId: string): Check | undefined {
  return failureChecks(step).find((c) => c.id === checkId);
}

function checkTitle(step: PlannedStep, checkId: string, lang: Lang): string {
  const check = stepCheck(step, checkId);
  return check ? say(check.title, lang) : checkId;
}

/** The actions of this step already run or skipped: one line each, so nothing vanishes unseen. */
function CompletedActions({ state, step, l, lang }: { state: WizardState; step: PlannedStep; l: Labels; lang: Lang }) {
  // The frame of a run that has ended stays on the terminal above the summary: its lines whole, not cut at the width.
  const ended = state.phase.kind === 'quit' || state.phase.kind === 'finished';
  return (
    <Box flexDirection="column" marginTop={1}>
      {state.completedActions.map(({ action, skipped, durationMs, file }) => {
        const done = actionAt(state, step, action)!;
        const what =
          done.kind === 'command'
            ? `$ ${done.command}`
            : file
              ? `${l.file}: ${fileOutcomeText(done.path, file, lang)}`
              : `${l.file}: ${done.path}`;
        return (
          // Keyed by the end too: ink keeps a Text's height as measured for its former wrap.
          <Text key={`${action}:${ended}`} color={skipped ? 'yellow' : 'green'} wrap={ended ? 'wrap' : 'truncate'}>
            {skipped ? `↷ ${l.status.skipped}: ` : '✓ '}
            {what}
            {durationMs !== undefined && !skipped ? <Text dimColor> ({(durationMs / 1000).toFixed(1)}s)</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}

/**
 * Check results: a failed one with what was expected, what was found and what to try. As
 * `warnings` (the pitfalls asked before a step), a failed one is a warning with what happens
 * about it, and a passed one is only listed.
 */
function CheckList({
  checks,
  results,
  l,
  lang,
  warnings = false,
}: {
  checks: Check[];
  results: CheckResult[];
  l: Labels;
  lang: Lang;
  warnings?: boolean;
}) {
  const { columns } = useTerminalSize();
  // Wrapped here, not by ink, which breaks a line only at a space: a Japanese sentence on a narrow terminal
  // was left in ragged pieces ("…Enter" / "で下のコマンドで止めます。k" / "でそのまま残し…").
  const wrapped = (line: string, margin = 0) => hangingLines([line], columns - margin).join('\n');
  return (
    <Box flexDirection="column">
      {results.map((result) => {
        const check = checks.find((c) => c.id === result.checkId);
        if (!check) return null;
        return (
          <Box key={result.checkId} flexDirection="column">
            {warnings ? (
              <Text color={result.ok ? undefined : 'yellow'} dimColor={result.ok} bold={!result.ok}>
                {wrapped(
                  result.ok
                    ? `✓ ${say(check.title, lang)}`
                    : `⚠ ${l.warning}: ${warningText(check, result.observed, lang)}`,
                )}
              </Text>
            ) : (
              <Text color={result.ok ? 'green' : 'red'}>
                {wrapped(`${result.ok ? '✓' : '✗'} ${say(check.title, lang)}`)}
              </Text>
            )}
            {result.ok ? null : (
              <Box flexDirection="column" marginLeft={2}>
                {warnings || check.blocks ? null : (
                  <Text>{wrapped(`${l.expected}: ${expectedText(check.probe, lang)}`, 2)}</Text>
                )}
                {warnings ? null : (
                  <Text>
                    {wrapped(
                      `${l.found}: ${
                        check.blocks
                          ? warningText(check, result.observed, lang)
                          : foundText(result.observed, lang, check.probe)
                      }`,
                      2,
                    )}
                  </Text>
                )}
                {warnings ? null : <DiffLines lines={diffLines(result.observed, lang)} />}
                <Text color="yellow">
                  {wrapped(`${warnings ? l.whatHappens : l.tryThis}: ${say(check.tryThis, lang)}`, 2)}
                </Text>
              </Box>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

/** Under a failed check, the last command's last lines in a box as tall as they are: no empty rows to scroll past. */
function LastOutput({ state, l }: { state: WizardState; l: Labels }) {
  const lines = outputTail(state.output, 4);
  return <OutputPane lines={lines} height={lines.length + 1} title={l.outputTail} />;
}

/**
 * The last lines of a command's output, in a box. One Text for all of them, each line cut to the
 * box's width beforehand: while a build pours out output this is redrawn four times a second,
 * and ink's cost per frame grows with every Text it lays out and draws (npm run bench).
 */
export function OutputPane({ lines, height, title }: { lines: string[]; height: number; title?: string }) {
  const { columns } = useTerminalSize();
  // The box spans the terminal: a border and a space of padding on each side.
  const width = Math.max(10, columns - 4);
  const shown = lines.slice(title ? -(height - 1) : -height).map((line) => fitColumns(line, width) || ' ');
  return (
    <Box
      flexDirection="column"
      borderStyle="single"
      borderColor="gray"
      paddingX={1}
      height={height + 2}
      overflowY="hidden"
    >
      {title ? <Text dimColor>{title}</Text> : null}
      <Text dimColor>{shown.join('\n')}</Text>
    </Box>
  );
}

/** The spinner's pace: the same as output's (FRAME_MS), so that both share one frame. */
const SPINNER_FRAME_MS = FRAME_MS;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function Spinner({ label, since }: { label: string; since?: number }) {
  const [, setTick] = useState(0);
  const now = Date.now();
  // Its own tick only when nothing else drew the screen for a frame: while output pours in, the
  // output's frames move the spinner too, and the screen is drawn once per frame, not twice.
  useEffect(() => {
    const timer = setTimeout(() => setTick((tick) => tick + 1), SPINNER_FRAME_MS);
    return () => clearTimeout(timer);
  });
  const frame = FRAMES[Math.floor(now / SPINNER_FRAME_MS) % FRAMES.length];
  const elapsed = since === undefined ? '' : ` ${((now - since) / 1000).toFixed(1)}s`;
  return (
    <Text color="cyan">
      {frame} {label}
      {elapsed}
    </Text>
  );
}

/** This run's actions of the step (a pitfall's fix first) of the same kind as `action`: files and commands apart. */
function sameKindGoneThrough(state: WizardState, step: PlannedStep, action: Action): Action[] {
  return [...state.fixes, ...step.actions].filter((other) => other.kind === action.kind);
}

/** apt waits for another's lock: who holds it, and the countdown of apt's wait (ticking by itself, as the spinner). */
function LockWaitView({ wait, l }: { wait: LockWait; l: Labels }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setTick((tick) => tick + 1), 1000);
    return () => clearTimeout(timer);
  });
  const left = lockWaitLeft(wait, l, Date.now());
  return (
    <Box flexDirection="column">
      <Text color="yellow">{lockWaitText(wait, l)}</Text>
      {left ? <Text color="yellow">{left}</Text> : null}
    </Box>
  );
}

export const Keys = memo(function Keys({ text }: { text: string }) {
  const everywhere = useContext(EverywhereKeys);
  const { columns } = useTerminalSize();
  const keys = keysOf(text);
  // A line breaks only between two keys, so that no key is parted from its word; the step's keys
  // are drawn inverse, the glossary's key (every screen's) dim after them.
  const lines = packItems(everywhere ? [...keys, everywhere] : keys, columns - 2);
  let seen = 0;
  return (
    <Box marginTop={1} flexDirection="column">
      {lines.map((line, i) => {
        const own = line.slice(0, Math.max(0, keys.length - seen));
        const rest = line.slice(own.length);
        seen += line.length;
        return (
          <Text key={i}>
            {own.length > 0 ? <Text inverse> {own.join('   ')} </Text> : ' '}
            {rest.length > 0 ? (
              <Text dimColor>
                {own.length > 0 ? ' ' : ''}
                {rest.join('   ')}
              </Text>
            ) : null}
          </Text>
        );
      })}
    </Box>
  );
});
