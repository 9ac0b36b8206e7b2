import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelIndex } from './ModelIndex';
import { allowedDistance, boundedDistance, FuzzyTerms } from './fuzzyTerms';
import { testModel } from '../__testUtils__/exampleEntities';

async function indexOf(entities: Entity[]) {
  const index = new ModelIndex({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  await index.refresh();
  return (q: string) =>
    index
      .search({ q, filters: {}, sort: 'relevance', limit: 50, offset: 0 })
      .items.map(i => i.name);
}

const whisperModels = [
  testModel('faster-whisper', {
    title: 'Faster Whisper',
    description: 'Whisper, re-implemented for speed',
  }),
  testModel('openai-whisper', {
    title: 'Whisper',
    description: 'Speech recognition',
  }),
  testModel('whisper-large-v3', {
    title: 'Whisper Large v3',
    description: 'The large whisper',
  }),
  testModel('audio-tagger', {
    title: 'Audio tagger',
    description: 'Tags audio; pairs well with whisper transcripts',
  }),
  testModel('llama-3-8b', { title: 'Llama 3 8B', description: 'Chat' }),
];

describe('full-text search: typos and exact titles', () => {
  it('finds Whisper for "whsiper" (two letters swapped) and other one-typo spellings', async () => {
    const search = await indexOf(whisperModels);
    const whisperish = [
      'faster-whisper',
      'openai-whisper',
      'whisper-large-v3',
      'audio-tagger',
    ];
    for (const q of ['whsiper', 'wisper', 'whisperr', 'whiper', 'WHSIPER']) {
      expect(new Set(search(q))).toEqual(new Set(whisperish));
    }
    // a typo in one of two terms still finds the model
    expect(search('whsiper large')).toEqual(['whisper-large-v3']);
    // too far from any word: nothing, rather than everything
    expect(search('whspr')).toEqual([]);
    expect(search('llama')).toEqual(['llama-3-8b']);
  });

  it('allows two typos in a long word, one in a short one, none below four letters', async () => {
    const search = await indexOf([
      testModel('scribe', {
        title: 'Scribe',
        description: 'Transcription of meetings',
      }),
      testModel('vision', { title: 'Vision', description: 'Images' }),
    ]);
    expect(search('trnascirption')).toEqual(['scribe']); // 2 swaps
    expect(search('trnascirptoin')).toEqual([]); // 3 swaps
    expect(search('visoin')).toEqual(['vision']); // 1 swap
    expect(search('vsioin')).toEqual([]); // 2 edits in a 6-letter word
    expect(search('imgs')).toEqual([]); // two letters short of "images"
    expect(search('imagse')).toEqual(['vision']);
    expect(search('cta')).toEqual([]); // too short to guess
  });

  it('ranks a model whose whole title or name is the query first', async () => {
    const search = await indexOf(whisperModels);
    // without the title rule "Faster Whisper" (a name hit, first by title) would lead
    expect(search('whisper')[0]).toBe('openai-whisper');
    expect(search('Whisper')[0]).toBe('openai-whisper');
    expect(search('whisper large v3')[0]).toBe('whisper-large-v3');
    expect(search('Whisper Large-v3')[0]).toBe('whisper-large-v3');
    expect(search('faster-whisper')[0]).toBe('faster-whisper');
    expect(search('Llama 3 8B')).toEqual(['llama-3-8b']);
    // the name, hyphens read as spaces
    expect(search('llama 3 8b')[0]).toBe('llama-3-8b');
  });

  it('uses typos only when exact and prefix matching finds few models', async () => {
    const speech = Array.from({ length: 5 }, (_, i) =>
      testModel(`speech-${i}`, { description: 'speech model' }),
    );
    const search = await indexOf([
      ...speech,
      testModel('speach-typo', { description: 'a speach model' }),
    ]);
    // five exact matches: the misspelt model is not mixed in
    expect(search('speech').sort()).toEqual(
      speech.map(e => e.metadata.name).sort(),
    );
    // one exact match: the near words are added, ranked after it
    const typo = search('speach');
    expect(typo[0]).toBe('speach-typo');
    expect(typo).toHaveLength(6);
  });

  it('answers short, odd and hostile queries without throwing or matching everything', async () => {
    const search = await indexOf(whisperModels);
    expect(search('\u0000')).toEqual([]);
    expect(search('\u0000\u0000whsiper\u0000')).toContain('openai-whisper');
    expect(search('!!! ??? ...')).toEqual([]);
    expect(search('w').length).toBe(4);
    expect(search('🦙')).toEqual([]);
    expect(search('a'.repeat(200))).toEqual([]);
    expect(
      search(Array.from({ length: 60 }, () => 'whsiper').join(' ')),
    ).toContain('openai-whisper');
    expect(
      search(Array.from({ length: 40 }, (_, i) => `w${i}x`).join(' ')),
    ).toEqual([]);
    expect(search('ünïcödé wörds')).toEqual([]);
  });
});

describe('fuzzyTerms', () => {
  it('measures the optimal string alignment distance, bounded', () => {
    expect(boundedDistance('whsiper', 'whisper', 2)).toBe(1);
    expect(boundedDistance('whisper', 'whisper', 2)).toBe(0);
    expect(boundedDistance('wisper', 'whisper', 2)).toBe(1);
    expect(boundedDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedDistance('kitten', 'sitting', 1)).toBe(2);
    expect(boundedDistance('a', 'abcdef', 2)).toBe(3);
    expect(allowedDistance(3)).toBe(0);
    expect(allowedDistance(4)).toBe(1);
    expect(allowedDistance(8)).toBe(2);
    expect(allowedDistance(41)).toBe(0);
  });

  it('lists near words nearest first, leaving out compounds and numbers', () => {
    const vocabulary = [
      '12345',
      '12346',
      'llama-3',
      'llama-4',
      'whisper',
      'whispers',
      'wisp',
    ].sort();
    const fuzzy = FuzzyTerms.build(vocabulary);
    const near = (term: string) =>
      fuzzy.near(term).map(m => [vocabulary[m.term], m.distance]);
    // 7 letters: one typo
    expect(near('whsiper')).toEqual([['whisper', 1]]);
    // 8 letters: two
    expect(near('whsipers')).toEqual([
      ['whispers', 1],
      ['whisper', 2],
    ]);
    expect(near('12347')).toEqual([]);
    expect(near('llama-5')).toEqual([]);
    expect(near('wisp')).toEqual([]);
    expect(near('wips')).toEqual([['wisp', 1]]);
  });
});
