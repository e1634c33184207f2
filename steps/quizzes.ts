// The quizzes (issue 7): after a lesson is read or a key step's checks pass, a few questions on
// the idea behind it. Each step's questions are in its own module (`quiz`); this is all of them,
// in the curriculum's order. Ids are stable: answers are recorded by id (progress.json), for the
// score and the report.
import { steps } from './index.js';
import { quizzesOf } from './step.js';

export const quizzes = quizzesOf(steps);
