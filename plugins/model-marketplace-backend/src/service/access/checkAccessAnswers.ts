import {
  type ModelAccessAnswers,
  type ModelEntityV1alpha1,
  validateAccessAnswers,
} from '@aic/plugin-model-marketplace-common';
import { InputError } from '@backstage/errors';

/**
 * Checks the answers of a new request against the model's
 * `spec.access.questions`; throws one InputError naming every bad field
 * (`answers.<id> ...`), so nothing is written for a bad request.
 */
export function checkAccessAnswers(
  model: ModelEntityV1alpha1,
  answers: unknown,
): ModelAccessAnswers | undefined {
  const questions = model.spec.access?.questions ?? [];
  const result = validateAccessAnswers(questions, answers);
  if (result.errors.length) {
    throw new InputError(
      `Invalid request body: ${result.errors.map(e => e.message).join('; ')}`,
    );
  }
  return Object.keys(result.answers).length ? result.answers : undefined;
}
