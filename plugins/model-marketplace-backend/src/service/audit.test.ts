import { mockServices } from '@backstage/backend-test-utils';
import { audited } from './audit';

describe('audited', () => {
  function auditor() {
    const event = { success: jest.fn(), fail: jest.fn() };
    const service = mockServices.auditor.mock({
      createEvent: jest.fn(async () => event),
    });
    return { service, event };
  }

  it('records success with the meta of the result', async () => {
    const { service, event } = auditor();
    const result = await audited(
      service,
      { eventId: 'request-create', severityLevel: 'medium', meta: { a: 1 } },
      async () => ({ id: 'r1' }),
      r => ({ requestId: r.id }),
    );
    expect(result).toEqual({ id: 'r1' });
    expect(service.createEvent).toHaveBeenCalledWith({
      eventId: 'request-create',
      severityLevel: 'medium',
      meta: { a: 1 },
    });
    expect(event.success).toHaveBeenCalledWith({ meta: { requestId: 'r1' } });
    expect(event.fail).not.toHaveBeenCalled();
  });

  it('records the failure and rethrows it', async () => {
    const { service, event } = auditor();
    const error = new Error('conflict');
    await expect(
      audited(
        service,
        { eventId: 'request-cancel', severityLevel: 'low' },
        async () => {
          throw error;
        },
      ),
    ).rejects.toBe(error);
    expect(event.fail).toHaveBeenCalledWith({ error });
    expect(event.success).not.toHaveBeenCalled();
  });
});
