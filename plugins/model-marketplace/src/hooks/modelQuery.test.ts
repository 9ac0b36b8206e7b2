import {
  emptyFilters,
  hasActiveFilters,
  parseModelQuery,
  toListModelsRequest,
  writeModelQuery,
} from './modelQuery';

describe('modelQuery', () => {
  it('parses search text, repeated facets and sort from the URL', () => {
    const query = parseModelQuery(
      new URLSearchParams('q=llama&type=llm&type=vision&tag=chat&sort=name'),
    );
    expect(query.q).toBe('llama');
    expect(query.sort).toBe('name');
    expect(query.filters.type).toEqual(['llm', 'vision']);
    expect(query.filters.tag).toEqual(['chat']);
    expect(query.filters.owner).toEqual([]);
  });

  it('ignores unknown sort orders', () => {
    expect(parseModelQuery(new URLSearchParams('sort=random')).sort).toBe(
      undefined,
    );
  });

  it('writes a query back and keeps unrelated parameters', () => {
    const params = writeModelQuery(
      {
        q: 'whisper',
        sort: 'popular',
        filters: { ...emptyFilters(), task: ['automatic-speech-recognition'] },
      },
      new URLSearchParams('select=model:default/a&type=llm'),
    );
    expect(params.getAll('select')).toEqual(['model:default/a']);
    expect(params.getAll('type')).toEqual([]);
    expect(params.get('task')).toBe('automatic-speech-recognition');
    expect(params.get('q')).toBe('whisper');
    expect(parseModelQuery(params).sort).toBe('popular');
  });

  it('builds the backend request with only the chosen facets', () => {
    const request = toListModelsRequest(
      {
        q: '  bert ',
        filters: { ...emptyFilters(), owner: ['group:default/x'] },
      },
      { limit: 24 },
    );
    expect(request).toEqual({
      q: 'bert',
      owner: ['group:default/x'],
      limit: 24,
    });
  });

  it('tells whether any filter is active', () => {
    expect(hasActiveFilters({ q: '', filters: emptyFilters() })).toBe(false);
    expect(
      hasActiveFilters({ q: '', filters: { ...emptyFilters(), tag: ['x'] } }),
    ).toBe(true);
  });
});
