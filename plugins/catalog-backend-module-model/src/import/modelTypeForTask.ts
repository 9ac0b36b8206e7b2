/**
 * The Model `spec.type` that a Hugging Face pipeline tag (or a Kubeflow
 * catalog task, which uses the same names) implies.
 */
const TYPE_BY_TASK: Record<string, string> = {
  'text-generation': 'llm',
  'text2text-generation': 'llm',
  'question-answering': 'llm',
  summarization: 'llm',
  translation: 'llm',
  conversational: 'llm',
  'feature-extraction': 'embedding',
  'sentence-similarity': 'embedding',
  'text-ranking': 'reranker',
  'image-classification': 'vision',
  'object-detection': 'vision',
  'image-segmentation': 'vision',
  'zero-shot-image-classification': 'vision',
  'depth-estimation': 'vision',
  'automatic-speech-recognition': 'speech',
  'text-to-speech': 'speech',
  'audio-classification': 'speech',
  'image-text-to-text': 'multimodal',
  'visual-question-answering': 'multimodal',
  'image-to-text': 'multimodal',
  'text-to-image': 'multimodal',
  'text-classification': 'classifier',
  'token-classification': 'classifier',
  'zero-shot-classification': 'classifier',
  'tabular-classification': 'classifier',
  'tabular-regression': 'regressor',
  'time-series-forecasting': 'regressor',
};

/**
 * The model type for the first of `tasks` that has a known type, or `other`.
 */
export function modelTypeForTasks(tasks: readonly string[]): string {
  for (const task of tasks) {
    const type = TYPE_BY_TASK[task.toLowerCase()];
    if (type) {
      return type;
    }
  }
  return 'other';
}
