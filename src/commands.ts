// What each command does, loaded by the entry point (src/cli.tsx) only once the flags are read, so
// that --help and --version never pay for the curriculum, the engine and the probes. Each command is
// a use case of its own under src/app/.
export { EXIT, type Flags } from './app/common.js';
export { explainFailure } from './app/failure.js';
export { runGlossary } from './app/glossary.js';
export { exitCodeOf } from './app/present.js';
export { runReport } from './app/report.js';
export { runStatus } from './app/status.js';
export { runUndo } from './app/undo.js';
export { runWizard } from './app/wizard.js';
