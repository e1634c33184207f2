// The resume screen: where a returning person stands, and where to continue. Draws and reports
// the choice; decides nothing else.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { glossary as allTerms } from '../../steps/glossary.js';
import type { GlossaryEntry } from '../engine/glossary.js';
import { say } from '../engine/plan.js';
import type { ResumeState, StepOverview } from '../engine/progress.js';
import type { Lang, Plan } from '../engine/types.js';
import { GlossaryOverlay, useGlossaryOverlay } from './Glossary.js';
import { LABELS } from './labels.js';
import { padColumns, RESUME_MARK } from './marks.js';
import { useTerminalSize } from './terminal-size.js';

const RESUME_COLOR: Record<ResumeState, string> = { done: 'green', todo: 'gray', changed: 'yellow', skipped: 'yellow' };

export interface ResumeProps {
  plan: Plan;
  overview: StepOverview[];
  proposed: number;
  lang: Lang;
  /** The index of the step to continue from, or undefined to quit. */
  onChoose(index: number | undefined): void;
  /** What the glossary overlay ([g]) explains. */
  glossary?: readonly GlossaryEntry[];
  /** No record of an earlier run: the person is new here, only the machine is not. */
  firstVisit?: boolean;
}

export function ResumeScreen({
  plan,
  overview,
  proposed,
  lang,
  onChoose,
  glossary = allTerms,
  firstVisit = false,
}: ResumeProps) {
  const l = LABELS[lang];
  const last = plan.steps.length - 1;
  const [cursor, setCursor] = useState(Math.min(proposed, last));
  // ink hands a key to the handler of the render before last until its effect has run: Enter
  // typed right after ↑ must continue from where ▶ is drawn, so the choice reads this, not `cursor`.
  const pointed = useRef(cursor);
  const point = (to: number) => {
    pointed.current = Math.max(0, Math.min(last, to));
    setCursor(pointed.current);
  };
  const { rows } = useTerminalSize();
  const { view, isOpen } = useGlossaryOverlay(glossary.length);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onChoose(undefined);
    if (isOpen()) return;
    if (key.upArrow) point(pointed.current - 1);
    else if (key.downArrow) point(pointed.current + 1);
    else if (key.return) onChoose(pointed.current);
    else if (input === 'q') onChoose(undefined);
  });
  // The terms of the step under the cursor come first.
  if (view.open)
    return (
      <GlossaryOverlay
        entries={glossary}
        step={plan.steps[cursor]}
        top={view.top}
        height={Math.max(5, rows - 10)}
        l={l}
        lang={lang}
      />
    );
  return (
    <Box flexDirection="column">
      <Text bold>{firstVisit ? l.resumeTitleFirstVisit : l.resumeTitle}</Text>
      {plan.steps.map((step, i) => {
        const { state } = overview[i]!;
        return (
          <Text key={step.id} color={i === cursor ? 'cyan' : RESUME_COLOR[state]}>
            {i === cursor ? '▶ ' : '  '}
            {RESUME_MARK[state]} {padColumns(l.resumeState[state], 8)} {step.id.padEnd(11)} {say(step.title, lang)}
            {state === 'changed' ? <Text dimColor> ({l.changedHint})</Text> : null}
          </Text>
        );
      })}
      <Box marginTop={1}>
        <Text inverse> {l.resumeKeys} </Text>
        <Text dimColor> {l.glossary.key}</Text>
      </Box>
    </Box>
  );
}
