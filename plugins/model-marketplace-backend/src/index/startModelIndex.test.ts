import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testModel } from '../__testUtils__/exampleEntities';
import { ModelIndex } from './ModelIndex';
import { buildUntilDone } from './startModelIndex';

describe('buildUntilDone', () => {
  it('builds the index once the catalog has started, so that its count of models is known', async () => {
    const entities = [testModel('alpha'), testModel('beta')];
    let calls = 0;
    const served = catalogServiceMock({ entities });
    const catalog = catalogServiceMock.mock({
      queryEntities: async (req, opts) => {
        calls += 1;
        if (calls <= 2) {
          throw new ServiceUnavailableError('Service has not started up yet');
        }
        return served.queryEntities(req, opts);
      },
      getEntitiesByRefs: (req, opts) => served.getEntitiesByRefs(req, opts),
    });
    const logger = mockServices.logger.mock();
    const index = new ModelIndex({
      catalog,
      auth: mockServices.auth(),
      logger,
    });

    const attempts = await buildUntilDone(() => index.refresh(), {
      logger,
      retryMs: 1,
    });

    expect(attempts).toBe(3);
    expect(index.size).toBe(2);
    expect(index.catalogCount).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not build the model index (attempt 1), trying again in 1 ms: ServiceUnavailableError: Service has not started up yet',
      ),
    );
  });

  it('builds once when the catalog answers at once', async () => {
    const logger = mockServices.logger.mock();
    const build = jest.fn(async () => {});
    await expect(buildUntilDone(build, { logger })).resolves.toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
