import { modelTypeForTasks } from './modelTypeForTask';

describe('modelTypeForTasks', () => {
  it('takes the type of the first task it knows, in any letter case', () => {
    expect(modelTypeForTasks(['Text-Generation'])).toBe('llm');
    expect(
      modelTypeForTasks([
        'made-up-task',
        'tabular-regression',
        'text-generation',
      ]),
    ).toBe('regressor');
  });

  it('answers other when no task is known', () => {
    expect(modelTypeForTasks(['made-up-task', 'another'])).toBe('other');
    expect(modelTypeForTasks([])).toBe('other');
  });
});
