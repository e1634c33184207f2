// Plan = curriculum × machine × answers, computed once, before anything runs.
import type { Lang, Plan, PlanContext, StepDefinition, Text } from './types.js';
import { differsFromGuide } from './commands.js';
import { runChecks } from './wizard.js';
import { LABELS } from '../ui/labels.js';

export function buildPlan(curriculum: readonly StepDefinition[], ctx: PlanContext): Plan {
  return {
    platform: ctx.platform,
    answers: ctx.answers,
    steps: curriculum
      .filter((def) => def.applies?.(ctx) ?? true)
      .map((def) => ({ id: def.id, section: def.section, title: def.title, ...def.plan(ctx) })),
  };
}

export function say(text: Text, lang: Lang): string {
  return text[lang];
}

export function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** The plan as plain text: what `--dry-run` prints. Every command and every file in full. */
export function formatPlan(plan: Plan, lang: Lang): string {
  const l = LABELS[lang].plan;
  const { platform } = plan;
  const out: string[] = [
    `# ${l.platform}: ${platform.prettyName} (${platform.id}, service manager: ${platform.serviceManager}, Python ${platform.pythonVersion})`,
  ];
  plan.steps.forEach((step, i) => {
    out.push(
      '',
      `## ${l.step} ${i + 1}/${plan.steps.length} [${step.id}] ${say(step.title, lang)}  (${l.section} ${step.section})`,
      '',
    );
    out.push(say(step.explain, lang));
    if (step.diagram) out.push('', say(step.diagram, lang));
    for (const note of step.notes) out.push('', `${l.note}: ${say(note, lang)}`);
    // The pitfall checks asked before the step's first action (the step module's `pitfalls`).
    // A pitfall's fix is run before the step's actions only when its check finds the pitfall.
    if (step.preflight?.length)
      out.push(
        '',
        ...step.preflight.flatMap((check) => [
          `${l.before}: ${say(check.title, lang)}`,
          ...(check.fix ? [`  ${l.ifNotSo}: ${check.fix.command}`] : []),
        ]),
      );
    for (const action of step.actions) {
      out.push('');
      if (action.kind === 'command') {
        out.push(`${l.run}: ${action.command}${action.cwd ? `    (${l.in} ${action.cwd})` : ''}`);
        out.push(`  ${say(action.explain, lang)}`);
        if (differsFromGuide(action)) out.push(`  ${l.guide}: ${action.guideCommand}`);
        if (action.whyDifferent) out.push(`  ${say(action.whyDifferent, lang)}`);
      } else {
        out.push(
          `${l.file}: ${action.path}    (${l.owner} ${action.owner}:${action.group}, ${l.mode} ${octal(action.mode)})`,
        );
        out.push(`  ${say(action.explain, lang)}`);
        if (action.guidePath && action.guidePath !== action.path) out.push(`  ${l.guide}: ${action.guidePath}`);
        if (action.whyDifferent) out.push(`  ${say(action.whyDifferent, lang)}`);
        out.push(
          ...action.content
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `  | ${line}`),
        );
      }
    }
    for (const check of [...runChecks(step), ...step.checks]) {
      out.push(`${l.check}: ${say(check.title, lang)}`);
    }
  });
  return `${out.join('\n')}\n`;
}
