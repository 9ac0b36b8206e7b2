import type { ModelAccessQuestion } from '../entity/ModelEntityV1alpha1';

/**
 * Answers to a model's access questions, by question id: text for `text`
 * and `select`, true or false for `checkbox`.
 *
 * @public
 */
export type ModelAccessAnswers = Record<string, string | boolean>;

/** One problem with an answer, named by its field (`answers.<id>`). @public */
export type ModelAccessAnswerError = {
  field: string;
  message: string;
};

/** Longest accepted text answer. @public */
export const MAX_ACCESS_ANSWER_LENGTH = 2000;

/**
 * Checks answers against a model's access questions. Returns the answers
 * to keep (trimmed text, optional questions left unanswered omitted) and
 * every problem, each naming its field, for example
 * `answers.acceptLicence must be ticked`. Used by the backend to refuse a
 * request and by the request dialog to show the same messages.
 *
 * @public
 */
export function validateAccessAnswers(
  questions: readonly ModelAccessQuestion[],
  answers: unknown,
): { answers: ModelAccessAnswers; errors: ModelAccessAnswerError[] } {
  const errors: ModelAccessAnswerError[] = [];
  const kept: ModelAccessAnswers = {};
  if (
    answers !== undefined &&
    (answers === null || typeof answers !== 'object' || Array.isArray(answers))
  ) {
    return {
      answers: kept,
      errors: [{ field: 'answers', message: 'answers must be an object' }],
    };
  }
  const given = (answers ?? {}) as Record<string, unknown>;
  const known = new Set(questions.map(q => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      errors.push({
        field: `answers.${key}`,
        message: `answers.${key} is not a question of this model${
          known.size ? ` (questions: ${[...known].join(', ')})` : ''
        }`,
      });
    }
  }
  for (const question of questions) {
    const field = `answers.${question.id}`;
    const value = given[question.id];
    const problem = (message: string) =>
      errors.push({ field, message: `${field} ${message}` });
    if (question.type === 'checkbox') {
      if (value !== undefined && typeof value !== 'boolean') {
        problem('must be true or false');
      } else if (question.required && value !== true) {
        problem(`must be ticked ("${question.label}")`);
      } else if (value !== undefined) {
        kept[question.id] = value;
      }
      continue;
    }
    if (value !== undefined && typeof value !== 'string') {
      problem('must be text');
      continue;
    }
    const text = (value ?? '').trim();
    if (!text) {
      if (question.required) {
        problem(`is required ("${question.label}")`);
      }
      continue;
    }
    if (text.length > MAX_ACCESS_ANSWER_LENGTH) {
      problem(`must be at most ${MAX_ACCESS_ANSWER_LENGTH} characters`);
      continue;
    }
    if (question.type === 'select' && !question.options?.includes(text)) {
      problem(`must be one of: ${(question.options ?? []).join(', ')}`);
      continue;
    }
    kept[question.id] = text;
  }
  return { answers: kept, errors };
}
