import { toEntityName, toTags } from './entityNames';

describe('toEntityName', () => {
  it('takes the part after the last slash, lower-cased, with runs of other characters as one dash', () => {
    expect(toEntityName('ibm-granite/granite-3.1-8b-instruct')).toBe(
      'granite-3-1-8b-instruct',
    );
    expect(toEntityName('mistralai/Mistral-Small-24B-Instruct-2501')).toBe(
      'mistral-small-24b-instruct-2501',
    );
    expect(toEntityName('acme/support-tickets-corpus')).toBe(
      'support-tickets-corpus',
    );
    expect(toEntityName('--/__')).toBeUndefined();
  });

  it('shortens long names with a hash so two long ids stay apart', () => {
    const a = toEntityName(`org/${'very-long-model-name-'.repeat(5)}a`)!;
    const b = toEntityName(`org/${'very-long-model-name-'.repeat(5)}b`)!;
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^very-long-model-name-.*-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe('toTags', () => {
  it('makes Backstage tags of free-form labels, without duplicates', () => {
    expect(toTags(['Red Hat', 'region:us', 'red-hat', 'C++', '  '])).toEqual([
      'red-hat',
      'region-us',
      'c++',
    ]);
  });
});
