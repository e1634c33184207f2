// Finding English sentences in what a Japanese run shows (issue 14: "--lang ja runs show no
// English sentence on screen or in plain output").
//
// A sentence here is a run of three or more English words with nothing non-ASCII between them:
// Japanese text, a mark (✓ ✗ ─▶) or a line's end ends a run. Numbers, paths, URLs, flags and
// options (anything with a digit, a slash, a dot inside or an underscore) are not words, but do not
// end a run either: "HTTP 200 from http://… containing" is a sentence.
//
// What may be English in a Japanese run, and is taken out before the scan:
// - a program's own words: the output of a command, a page's body, a log line. The test names
//   them (`programTexts`: what its machine printed), and plain output's command lines (`$ `),
//   output (`  | `) and file contents (`  > `) are left out whole;
// - quotations, in "…" or `…`: a command, a program's message or the guide's words named in a
//   Japanese sentence ("Welcome to nginx!", `sudo rm …`).
// Names (nginx, uWSGI, Debian GNU/Linux 12) stand alone between Japanese words: no run of three.

const WORD = /^[A-Za-z]+(?:['-][A-Za-z]+)*$/;

/** Every line of `text` that still holds an English sentence once the allowed parts are taken out. */
export function englishSentences(text: string, programTexts: readonly string[]): string[] {
  const known = [...new Set(programTexts.flatMap((t) => t.split('\n')).map((t) => t.trim()))]
    .filter((t) => t.length > 0)
    // Longest first, so that a line is taken out whole before a part of it.
    .sort((a, b) => b.length - a.length);
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(\$ |\| |> )/.test(line)) continue;
    if (isCutProgramLine(line, known)) continue;
    let rest = line;
    for (const program of known) if (rest.includes(program)) rest = rest.split(program).join(' ');
    rest = rest.replace(/"[^"]*"|`[^`]*`/g, ' ');
    if (hasSentence(rest)) found.push(line.trim());
  }
  return found;
}

/** A line of the screen's output pane: a program's line, cut to the pane's width ("…"). */
function isCutProgramLine(line: string, known: readonly string[]): boolean {
  const inBox = line
    .replace(/^[\s│]+|[\s│]+$/g, '')
    .replace(/…$/, '')
    .trim();
  return inBox.length >= 8 && known.some((program) => program.startsWith(inBox));
}

function hasSentence(text: string): boolean {
  let words = 0;
  for (const token of text.split(/\s+/)) {
    if (token === '') continue;
    if (/[^\x00-\x7f]/.test(token)) {
      words = 0;
      continue;
    }
    const bare = token.replace(/^[[({<'"]+|[\])}>'",.:;!?]+$/g, '');
    if (WORD.test(bare)) words += 1;
    if (words >= 3) return true;
  }
  return false;
}
