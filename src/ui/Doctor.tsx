// The doctor's screen (issue 16): the layers, then the findings as a list; Enter opens the chosen
// one's evidence and why, f shows its fix and makes it once the person says y, then the doctor looks
// again. It draws and turns keys into events; the fix itself is made by the use case (`fix`).
import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer } from 'react';
import type { DoctorReport } from '../engine/doctor/diagnose.js';
import type { Finding } from '../engine/doctor/model.js';
import type { AppPlace, DoctorSurvey } from '../engine/doctor/survey.js';
import type { Lang } from '../engine/types.js';
import { Keys, OutputPane } from './App.js';
import { causeSaid } from './doctor-text.js';
import { findingDetailLines, fixLines, layerLines } from './doctor-report.js';
import { LABELS } from './labels.js';
import { hangingLines } from './prose.js';
import { useTerminalSize } from './terminal-size.js';

/** What the doctor saw of the machine, and what it made of it. */
export interface DoctorLook {
  survey: DoctorSurvey;
  report: DoctorReport;
}

export interface DoctorScreenProps {
  first: DoctorLook;
  place: AppPlace;
  lang: Lang;
  /** Make the finding's fix, its output written as it comes, and look again; `made` is false when a part failed. */
  fix(finding: Finding, write: (text: string) => void): Promise<{ made: boolean; look: DoctorLook }>;
  /** The person left, with what was seen last; or a fix could not begin (`error`: the run lock is taken). */
  onEnd(last: DoctorLook, error?: unknown): void;
}

/** Lines of a fix's output shown in its pane, at most. */
const PANE_LINES = 8;
/** Lines of a fix's output kept: the pane shows the last of them. */
const KEPT_LINES = 200;

type Phase = 'list' | 'confirm' | 'fixing' | 'left';

interface DoctorState {
  look: DoctorLook;
  /** The finding chosen (▶). */
  cursor: number;
  /** Whether its evidence is shown. */
  open: boolean;
  phase: Phase;
  /** The last fix's output, and whether it was made whole (undefined: no fix yet). */
  output: string[];
  made?: boolean;
}

type DoctorEvent =
  | { type: 'key'; input: string; up: boolean; down: boolean; enter: boolean; escape: boolean; ctrl: boolean }
  | { type: 'output'; text: string }
  | { type: 'looked'; look: DoctorLook; made: boolean };

function chosen(state: DoctorState): Finding | undefined {
  return state.look.report.findings[state.cursor];
}

/** What a key does, where the screen stands. While a fix is made, keys do nothing: it is not cut off. */
export function doctorReducer(state: DoctorState, event: DoctorEvent): DoctorState {
  if (event.type === 'output') {
    const lines = event.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { ...state, output: [...state.output, ...lines].slice(-KEPT_LINES) };
  }
  if (event.type === 'looked')
    return { ...state, look: event.look, made: event.made, cursor: 0, open: false, phase: 'list' };
  if (state.phase === 'fixing' || state.phase === 'left') return state;
  const quit = event.ctrl && event.input === 'c';
  if (state.phase === 'confirm') {
    if (quit) return { ...state, phase: 'left' };
    if (event.input === 'y') return { ...state, phase: 'fixing', output: [], made: undefined };
    if (event.input === 'n' || event.escape) return { ...state, phase: 'list' };
    return state;
  }
  if (quit || event.escape || event.input === 'q') return { ...state, phase: 'left' };
  const last = state.look.report.findings.length - 1;
  if (event.up) return { ...state, cursor: Math.max(0, state.cursor - 1), open: false };
  if (event.down) return { ...state, cursor: Math.min(last, state.cursor + 1), open: false };
  if (event.enter && last >= 0) return { ...state, open: !state.open };
  if (event.input === 'f' && chosen(state)?.fix) return { ...state, phase: 'confirm' };
  return state;
}

/** The fix's output in a pane as tall as it needs (its title a line), up to PANE_LINES. */
function FixOutput({ lines, title }: { lines: string[]; title: string }) {
  return <OutputPane lines={lines} height={Math.min(PANE_LINES, lines.length + 1)} title={title} />;
}

export function DoctorScreen({ first, place, lang, fix, onEnd }: DoctorScreenProps) {
  const l = LABELS[lang].doctorRun;
  const { columns } = useTerminalSize();
  // A long sentence goes on under its own text, not at the margin (prose.ts hangingLines).
  const wrapped = (...lines: string[]) => hangingLines(lines, columns).join('\n');
  const [state, dispatch] = useReducer(doctorReducer, {
    look: first,
    cursor: 0,
    open: false,
    phase: 'list',
    output: [],
  });
  useInput((input, key) =>
    dispatch({
      type: 'key',
      input,
      up: key.upArrow,
      down: key.downArrow,
      enter: key.return,
      escape: key.escape,
      ctrl: key.ctrl,
    }),
  );
  const { look, phase } = state;
  const finding = chosen(state);
  // Runs when the phase changes (the screen's props are made once, the finding stays while its
  // fix is made): the fix is begun once the person says y, and the screen is left once.
  useEffect(() => {
    if (phase === 'left') onEnd(look);
    if (phase !== 'fixing' || !finding) return;
    fix(finding, (text) => dispatch({ type: 'output', text })).then(
      ({ made, look: again }) => dispatch({ type: 'looked', look: again, made }),
      (error: unknown) => onEnd(look, error),
    );
  }, [phase, finding, look, fix, onEnd]);

  const { report } = look;
  const before = (path: string) => look.survey.files.find((file) => file.path === path)?.text;
  if (finding && (phase === 'confirm' || phase === 'fixing')) {
    return (
      <Box flexDirection="column">
        <Text bold>{layerLines(report, place, lang)[0]}</Text>
        <Text>{wrapped(...fixLines(finding, lang, before))}</Text>
        {phase === 'confirm' ? (
          <>
            <Text color="yellow">{l.fixConfirm}</Text>
            <Keys text={l.keysConfirm} />
          </>
        ) : (
          <>
            <Text color="cyan">{l.fixing}</Text>
            <FixOutput lines={state.output} title={l.fixOutput} />
          </>
        )}
      </Box>
    );
  }
  const [title, ...layers] = layerLines(report, place, lang);
  const keys = report.healthy ? l.keysHealthy : finding?.fix ? l.keysFinding : l.keysFindingNoFix;
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {report.layers.map(({ layer, state: passed }, i) => (
        <Text key={layer} color={passed === 'ok' ? 'green' : passed === 'failed' ? 'red' : 'gray'}>
          {wrapped(layers[i] ?? '')}
        </Text>
      ))}
      {state.made !== undefined ? (
        <Box marginTop={1}>
          <Text color={state.made ? 'green' : 'red'}>{wrapped(state.made ? l.fixMade : l.fixFailed)}</Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {report.healthy ? (
          <Text color="green">{wrapped(l.healthy)}</Text>
        ) : (
          <>
            <Text>{l.found({ count: report.findings.length })}</Text>
            {report.findings.map((item, i) => (
              <Box key={i} flexDirection="column">
                <Text color={i === state.cursor ? 'cyan' : undefined}>
                  {wrapped(`${i === state.cursor ? '▶ ' : '  '}✗ ${causeSaid(item, lang).what}`)}
                </Text>
                {i === state.cursor && state.open ? <Text>{wrapped(...findingDetailLines(item, lang))}</Text> : null}
              </Box>
            ))}
          </>
        )}
      </Box>
      {state.output.length > 0 ? <FixOutput lines={state.output} title={l.fixOutput} /> : null}
      <Keys text={keys} />
    </Box>
  );
}
