// The house rule Biome has no lint for: no line of code or comment past 120 characters. A sentence
// in quotes (a bilingual text, a test's name, a line of a file the wizard writes) is data and may
// make its line longer: breaking a sentence in two helps nobody. In a template literal the words are
// data and what is inside ${…} is code.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const LIMIT = 120;
const SOURCES = /\.(ts|tsx|mjs)$/;
// A quoted string without template parts, its content dropped for the measure.
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
const TEMPLATE = /`(?:[^`\\]|\\.)*`/g;
const PLACEHOLDER = /\$\{[^}]*\}/g;
// A line that is one regular expression (what a test looks for on the screen) is data too.
const PATTERN_LINE = /^\s*\/[^/*].*\/[dgimsuy]*(\.test\()?[,;]?$/;

function codeOf(line) {
  const words = line.replace(QUOTED, "''");
  return words.replace(TEMPLATE, (literal) => `\`${(literal.match(PLACEHOLDER) ?? []).join('')}\``);
}

const files = execFileSync('git', ['ls-files', 'src', 'steps', 'test', 'bench', 'scripts'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => SOURCES.test(file));
const long = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const length = [...line].length;
      const code = [...codeOf(line)].length;
      if (length > LIMIT && code > LIMIT && !PATTERN_LINE.test(line))
        long.push(`${file}:${i + 1}: ${length} characters`);
    });
}
if (long.length > 0) {
  console.error(`${long.length} lines are longer than ${LIMIT} characters (break them, or make the text data):`);
  for (const line of long) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`line length: every line of code and comment fits in ${LIMIT} characters`);
