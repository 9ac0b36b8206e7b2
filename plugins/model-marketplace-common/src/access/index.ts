export {
  MAX_ACCESS_ANSWER_LENGTH,
  validateAccessAnswers,
  type ModelAccessAnswerError,
  type ModelAccessAnswers,
} from './validateAccessAnswers';
