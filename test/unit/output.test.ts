// The output pane's memory: what a terminal would show of a command's output, and no more than
// OUTPUT_TAIL_LINES lines of it whatever the command prints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appendOutput,
  OUTPUT_LINE_CHARS,
  OUTPUT_TAIL_LINES,
  outputTail,
  type OutputTail,
} from '../../src/engine/wizard.js';
import { lineSplitter } from '../../src/ui/plain.js';
import stringWidth from 'string-width';
import { fitColumns, padColumns } from '../../src/ui/marks.js';

const empty: OutputTail = { lines: [], partial: '' };

function feed(...chunks: string[]): OutputTail {
  return chunks.reduce(appendOutput, empty);
}

describe('appendOutput', () => {
  it('splits lines and keeps the unfinished one apart', () => {
    assert.deepEqual(feed('Reading package lists...\nBuilding dep', 'endency tree\nDone'), {
      lines: ['Reading package lists...', 'Building dependency tree'],
      partial: 'Done',
    });
  });

  it(`keeps only the last ${OUTPUT_TAIL_LINES} lines of one large chunk`, () => {
    const chunk = Array.from({ length: 250 }, (_, i) => `line ${i + 1}\n`).join('');
    const tail = feed(chunk);
    assert.equal(tail.lines.length, OUTPUT_TAIL_LINES);
    assert.equal(tail.lines[0], `line ${250 - OUTPUT_TAIL_LINES + 1}`);
    assert.equal(tail.lines.at(-1), 'line 250');
  });

  it(`stays at ${OUTPUT_TAIL_LINES} lines over many small chunks`, () => {
    let tail = empty;
    for (let i = 1; i <= 1000; i++) tail = appendOutput(tail, `gcc -c plugin${i}.c\n`);
    assert.equal(tail.lines.length, OUTPUT_TAIL_LINES);
    assert.equal(tail.lines.at(-1), 'gcc -c plugin1000.c');
  });

  it('shows only the last redraw of a progress bar written with carriage returns', () => {
    assert.deepEqual(feed('Downloading uwsgi 10%\rDownloading uwsgi 55%\rDownloading uwsgi 100%\ndone\n').lines, [
      'Downloading uwsgi 100%',
      'done',
    ]);
  });

  it('applies a redraw that arrives in a later chunk to the unfinished line', () => {
    const tail = feed('Progress 1%', '\rProgress 2%', '\rProgress 3%');
    assert.deepEqual(tail, { lines: [], partial: 'Progress 3%' });
    assert.deepEqual(outputTail(tail, 5), ['Progress 3%']);
  });

  it('treats "\\r\\n" split across two chunks as one line end, not as a redraw', () => {
    assert.deepEqual(feed('first line\r', '\nsecond line\r\n').lines, ['first line', 'second line']);
  });

  it('a trailing "\\r" followed by new text in the next chunk is a redraw', () => {
    assert.deepEqual(feed('Collecting uwsgi\r', 'Building wheel\n').lines, ['Building wheel']);
  });

  it(`keeps an endless line without newline to its last ${OUTPUT_LINE_CHARS} characters`, () => {
    const tail = feed(...Array.from({ length: 50 }, () => 'x'.repeat(1000)), 'END');
    assert.equal(tail.partial.length, OUTPUT_LINE_CHARS);
    assert.ok(tail.partial.endsWith('xEND'));
  });

  it('gives the same tail for one large chunk as for its lines fed one by one', () => {
    for (const count of [OUTPUT_TAIL_LINES - 1, OUTPUT_TAIL_LINES, OUTPUT_TAIL_LINES + 1, OUTPUT_TAIL_LINES + 2, 300]) {
      const lines = Array.from({ length: count }, (_, i) =>
        i % 7 === 0 ? `step ${i} 10%\rstep ${i} 100%\r\n` : `\u001b[1mline ${i}\u001b[0m\n`,
      );
      const byLine = feed('unfinished before ', ...lines, 'unfinished');
      assert.deepEqual(feed('unfinished before ', `${lines.join('')}unfinished`), byLine, `${count} lines`);
      assert.deepEqual(
        feed('before\n', 'unfinished before ', `${lines.join('')}unfinished`).lines.slice(-count),
        byLine.lines.slice(-count),
        `${count} lines after others`,
      );
      assert.deepEqual(
        feed('x', `\n${lines.join('')}unfinished`),
        feed('x', '\n', ...lines, 'unfinished'),
        `${count} lines after a newline first`,
      );
      assert.equal(byLine.lines.at(-1), (count - 1) % 7 === 0 ? `step ${count - 1} 100%` : `line ${count - 1}`);
    }
  });

  it(`keeps the first ${OUTPUT_LINE_CHARS} characters of a finished line that is longer`, () => {
    const tail = feed(`START${'y'.repeat(OUTPUT_LINE_CHARS * 3)}\n`);
    assert.equal(tail.lines[0]!.length, OUTPUT_LINE_CHARS);
    assert.ok(tail.lines[0]!.startsWith('STARTy'));
  });

  it('drops colour codes', () => {
    assert.deepEqual(feed('\u001b[31mERROR\u001b[0m: no python application found\n').lines, [
      'ERROR: no python application found',
    ]);
  });
});

describe('outputTail', () => {
  it('gives the last lines with the unfinished one included', () => {
    const tail = feed('a\nb\nc\nd');
    assert.deepEqual(outputTail(tail, 2), ['c', 'd']);
    assert.deepEqual(outputTail(tail, 10), ['a', 'b', 'c', 'd']);
  });

  it('shows an unfinished line waiting on a carriage return without it', () => {
    assert.deepEqual(outputTail(feed('a\n50%\r'), 5), ['a', '50%']);
  });

  it('is empty for no output', () => {
    assert.deepEqual(outputTail(empty, 5), []);
  });
});

describe('lineSplitter (plain logs and undo output)', () => {
  it('gives whole lines however the chunks split them, and the unfinished rest on flush', () => {
    const split = lineSplitter();
    assert.deepEqual(split.push('Reload'), []);
    assert.deepEqual(split.push('ing nginx\nDo'), ['Reloading nginx']);
    assert.deepEqual(split.push('ne\nthe end'), ['Done']);
    assert.equal(split.flush(), 'the end');
    assert.equal(split.flush(), undefined, 'nothing twice');
  });

  it('keeps only what a carriage return last drew (progress bars), and drops CRLF endings', () => {
    const split = lineSplitter();
    assert.deepEqual(split.push('  10%\r  55%\r 100%\nok\r\n'), [' 100%', 'ok']);
  });
});

describe('padColumns (the status list in Japanese)', () => {
  it('pads by terminal columns, so wide characters line up with narrow ones', () => {
    assert.equal(padColumns('完了', 8), '完了    ');
    assert.equal(padColumns('done', 8), 'done    ');
    assert.equal(padColumns('変化あり', 8), '変化あり', 'already eight columns wide');
  });
});

describe('fitColumns (a line of the output pane)', () => {
  it('leaves a line that fits as it is, and cuts a longer one with … to the width', () => {
    assert.equal(fitColumns('gcc -c core/init.c', 40), 'gcc -c core/init.c');
    assert.equal(fitColumns('x'.repeat(50), 40), `${'x'.repeat(39)}…`);
  });

  it('counts columns, not characters: a Japanese line is cut at the width it takes', () => {
    const fitted = fitColumns('パッケージリストを読み込んでいます... 完了', 20);
    assert.ok(fitted.startsWith('パッケージ') && fitted.endsWith('…'), fitted);
    assert.ok(stringWidth(fitted) <= 20, `${fitted} takes ${stringWidth(fitted)} columns`);
    assert.equal(fitColumns('完了', 4), '完了');
  });

  it('expands tabs to the next stop of 8 and drops control characters', () => {
    assert.equal(fitColumns('a\tb', 40), 'a       b');
    assert.equal(fitColumns('bell\u0007 back\bspace ✓', 40), 'bell backspace ✓');
  });
});
