// What stays on the terminal, and in the run's log, once the wizard has ended: the screen is gone
// by then, so what a person needs afterwards is said again in plain lines: why the run stopped
// (with what to try), and how to run uWSGI from now on, reboots included.
import { doctorOnFailureLines } from './doctor-report.js';
import stringWidth from 'string-width';
import { say } from '../engine/plan.js';
import type { Check, CheckResult, Lang, ServiceManager, Text } from '../engine/types.js';
import { actionAt, currentStep, failureChecks, outputTail, runChecks, type WizardState } from '../engine/wizard.js';
import { LABELS } from './labels.js';
import { padColumns } from './marks.js';
import { expectedText, foundText, warningText } from './probe-text.js';

/** How uWSGI is run from now on (steps/service.ts, serviceManagement). */
export interface ServiceManagement {
  start: string;
  stop: string;
  logs: string;
  afterReboot: Text;
}

/** Lines of output quoted under a failed command: enough to see its error, few enough to read. */
const QUOTED_OUTPUT = 8;

function failedChecks(checks: Check[], results: CheckResult[], lang: Lang): string[] {
  const l = LABELS[lang];
  return results
    .filter((result) => !result.ok)
    .flatMap((result) => {
      const check = checks.find((c) => c.id === result.checkId);
      // A pitfall that stopped the step: its own sentence, not the command that looked for it.
      if (check?.blocks)
        return [
          `  ✗ ${say(check.title, lang)}`,
          `      ${l.found}: ${warningText(check, result.observed, lang)}`,
          `      ${l.tryThis}: ${say(check.tryThis, lang)}`,
        ];
      return [
        `  ✗ ${check ? say(check.title, lang) : result.checkId}`,
        ...(check ? [`      ${l.expected}: ${expectedText(check.probe, lang)}`] : []),
        `      ${l.found}: ${foundText(result.observed, lang, check?.probe)}`,
        ...(check ? [`      ${l.tryThis}: ${say(check.tryThis, lang)}`] : []),
      ];
    });
}

/**
 * Why the run stopped where it did, from the state just before its end: the command that failed
 * (with its last output) or the checks that did not pass, each with what to try. Nothing when the
 * run did not end on a failure.
 */
export function troubleLines(beforeEnd: WizardState, lang: Lang): string[] {
  const l = LABELS[lang];
  const step = currentStep(beforeEnd);
  const { phase } = beforeEnd;
  if (!step) return [];
  if (phase.kind === 'action-failed') {
    const action = actionAt(beforeEnd, step, phase.action);
    const { failure } = phase;
    const why =
      failure.message ?? (failure.timedOut ? l.timedOut : `${l.exitCode} ${failure.exitCode ?? failure.signal}`);
    return [
      `  ✗ ${l.failedCommand}: ${why}`,
      ...(action?.kind === 'command' ? [`    $ ${action.command}`] : action ? [`    ${l.file}: ${action.path}`] : []),
      ...outputTail(beforeEnd.output, QUOTED_OUTPUT).map((line) => `    | ${line}`),
      ...(action?.kind === 'command' && action.tryThis ? [`    ${l.tryThis}: ${say(action.tryThis, lang)}`] : []),
      ...failedChecks(runChecks(step), beforeEnd.runResults, lang),
      ...(phase.doctor ? doctorOnFailureLines(phase.doctor, lang).map((line) => `  ${line}`) : []),
    ];
  }
  if (phase.kind === 'check-failed') {
    return [
      `  ✗ ${l.checksFailed}`,
      ...failedChecks(failureChecks(step), [...beforeEnd.runResults, ...beforeEnd.checkResults], lang),
      ...(phase.doctor ? doctorOnFailureLines(phase.doctor, lang).map((line) => `  ${line}`) : []),
    ];
  }
  return [];
}

/**
 * How to stop and start uWSGI and read its logs, and what a reboot does to it; on a machine
 * without a service manager, a warning that it will not come back by itself, with the command
 * that starts it again.
 */
export function serviceLines(
  manage: ServiceManagement,
  serviceManager: ServiceManager,
  lang: Lang,
  simulated = false,
): string[] {
  const a = LABELS[lang].afterwards;
  const width = Math.max(...[a.stop, a.start, a.uwsgiLog, a.nginxLog].map((label) => stringWidth(label))) + 2;
  const line = (label: string, value: string) => `  ${padColumns(`${label}:`, width)}${value}`;
  return [
    simulated ? a.headingSimulated : a.heading,
    line(a.stop, manage.stop),
    line(a.start, manage.start),
    line(a.uwsgiLog, manage.logs),
    line(a.nginxLog, '/var/log/nginx/error.log'),
    serviceManager === 'none'
      ? `⚠ ${a.noServiceManager({ start: manage.start })}`
      : `  ${a.afterReboot}: ${say(manage.afterReboot, lang)}`,
  ];
}
