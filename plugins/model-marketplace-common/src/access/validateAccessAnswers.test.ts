import type { ModelAccessQuestion } from '../entity/ModelEntityV1alpha1';
import { validateAccessAnswers } from './validateAccessAnswers';

const questions: ModelAccessQuestion[] = [
  { id: 'useCase', label: 'Use case', type: 'text', required: true },
  {
    id: 'region',
    label: 'Region',
    type: 'select',
    options: ['eu', 'us'],
    required: true,
  },
  { id: 'acceptLicence', label: 'I accept', type: 'checkbox', required: true },
  { id: 'notes', label: 'Notes', type: 'text' },
  { id: 'newsletter', label: 'Newsletter', type: 'checkbox' },
];

describe('validateAccessAnswers', () => {
  it('keeps valid answers, trimmed, and leaves out unanswered optional ones', () => {
    expect(
      validateAccessAnswers(questions, {
        useCase: '  search ranking ',
        region: 'eu',
        acceptLicence: true,
        notes: '   ',
      }),
    ).toEqual({
      answers: { useCase: 'search ranking', region: 'eu', acceptLicence: true },
      errors: [],
    });
  });

  it('names every missing required answer by field', () => {
    const { errors } = validateAccessAnswers(questions, undefined);
    expect(errors.map(e => e.field)).toEqual([
      'answers.useCase',
      'answers.region',
      'answers.acceptLicence',
    ]);
    expect(errors[2].message).toBe(
      'answers.acceptLicence must be ticked ("I accept")',
    );
    expect(errors[0].message).toBe('answers.useCase is required ("Use case")');
  });

  it('refuses an unticked required checkbox, an unknown option and wrong types', () => {
    const { errors, answers } = validateAccessAnswers(questions, {
      useCase: 42,
      region: 'apac',
      acceptLicence: false,
      newsletter: 'yes',
    });
    expect(errors.map(e => e.message)).toEqual([
      'answers.useCase must be text',
      'answers.region must be one of: eu, us',
      'answers.acceptLicence must be ticked ("I accept")',
      'answers.newsletter must be true or false',
    ]);
    expect(answers).toEqual({});
  });

  it('refuses answers to questions the model does not ask', () => {
    const { errors } = validateAccessAnswers([], { extra: 'x' });
    expect(errors).toEqual([
      {
        field: 'answers.extra',
        message: 'answers.extra is not a question of this model',
      },
    ]);
  });

  it('refuses answers that are not an object and overlong text', () => {
    expect(validateAccessAnswers(questions, ['a']).errors).toEqual([
      { field: 'answers', message: 'answers must be an object' },
    ]);
    const { errors } = validateAccessAnswers(questions, {
      useCase: 'x'.repeat(2001),
      region: 'us',
      acceptLicence: true,
    });
    expect(errors.map(e => e.message)).toEqual([
      'answers.useCase must be at most 2000 characters',
    ]);
  });
});
