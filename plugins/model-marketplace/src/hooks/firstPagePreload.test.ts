import {
  fakeModelMarketplaceApi,
  listResponse,
  modelSummary,
} from '../testing';
import {
  PAGE_SIZE,
  PRELOAD_MAX_AGE_MS,
  firstPageRequest,
  preloadFirstPage,
  takePreloadedPage,
} from './firstPagePreload';

describe('firstPagePreload', () => {
  afterEach(() => jest.restoreAllMocks());

  const response = listResponse([modelSummary('bge-m3')]);

  it('hands the preloaded page to the same request, once', async () => {
    const listModels = jest.fn().mockResolvedValue(response);
    preloadFirstPage(
      fakeModelMarketplaceApi({ listModels }),
      '?q=embed&type=embedding',
    );
    const request = firstPageRequest('?q=embed&type=embedding');
    expect(request).toEqual({
      q: 'embed',
      type: ['embedding'],
      limit: PAGE_SIZE,
    });
    expect(listModels).toHaveBeenCalledWith(request);
    await expect(takePreloadedPage({ ...request })).resolves.toBe(response);
    expect(takePreloadedPage(request)).toBeUndefined();
  });

  it('keeps nothing for another view', () => {
    preloadFirstPage(
      fakeModelMarketplaceApi({
        listModels: jest.fn().mockResolvedValue(response),
      }),
      '?type=llm',
    );
    expect(takePreloadedPage(firstPageRequest('?type=vision'))).toBeUndefined();
    // and the other view's page is dropped too
    expect(takePreloadedPage(firstPageRequest('?type=llm'))).toBeUndefined();
  });

  it('drops a page that waited too long', () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    preloadFirstPage(
      fakeModelMarketplaceApi({
        listModels: jest.fn().mockResolvedValue(response),
      }),
      '',
    );
    clock.mockReturnValue(now + PRELOAD_MAX_AGE_MS + 1);
    expect(takePreloadedPage(firstPageRequest(''))).toBeUndefined();
  });

  it('passes a failed request on to whoever takes it', async () => {
    preloadFirstPage(
      fakeModelMarketplaceApi({
        listModels: jest.fn().mockRejectedValue(new Error('boom')),
      }),
      '',
    );
    await expect(takePreloadedPage(firstPageRequest(''))).rejects.toThrow(
      'boom',
    );
  });
});
