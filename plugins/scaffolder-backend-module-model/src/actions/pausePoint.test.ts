import { mockServices } from '@backstage/backend-test-utils';
import { PAUSE_ENV, pausePoint } from './pausePoint';

describe('pausePoint', () => {
  const saved = process.env[PAUSE_ENV];
  afterEach(() => {
    if (saved === undefined) {
      delete process.env[PAUSE_ENV];
    } else {
      process.env[PAUSE_ENV] = saved;
    }
  });

  it('does not stop when the point is not listed', async () => {
    delete process.env[PAUSE_ENV];
    const logger = mockServices.logger.mock();
    await pausePoint('after-apply', logger, undefined, 'm');
    process.env[PAUSE_ENV] = 'before-dry-run, other-model:after-apply';
    await pausePoint('after-apply', logger, undefined, 'm');
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('waits at a listed point until the run is cancelled', async () => {
    process.env[PAUSE_ENV] = ' waiting-for-ready , m:after-apply';
    const logger = mockServices.logger.mock();
    const controller = new AbortController();
    let resumed = false;
    const paused = pausePoint(
      'after-apply',
      logger,
      controller.signal,
      'm',
    ).then(() => {
      resumed = true;
    });
    await new Promise(r => setImmediate(r));
    expect(logger.info).toHaveBeenCalledWith('pause point after-apply reached');
    expect(resumed).toBe(false);
    controller.abort();
    await paused;
    expect(resumed).toBe(true);
  });

  it('goes on at once when the run is already cancelled', async () => {
    process.env[PAUSE_ENV] = 'waiting-for-ready';
    const controller = new AbortController();
    controller.abort();
    const logger = mockServices.logger.mock();
    await pausePoint('waiting-for-ready', logger, controller.signal, 'any');
    expect(logger.info).toHaveBeenCalledWith(
      'pause point waiting-for-ready reached',
    );
  });
});
