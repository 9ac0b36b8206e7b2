import { modelPageLink, requestLink } from './links';
import {
  deployedNotification,
  reconciledNotification,
  requestCreatedNotification,
  rollbackFailedNotification,
  shortNameOf,
} from './notificationMessages';

describe('notificationMessages', () => {
  it('links to the model page in the model namespace', () => {
    expect(modelPageLink('model:research/tiny-llm')).toBe(
      '/catalog/research/model/tiny-llm',
    );
    expect(modelPageLink('model:default/x')).toBe('/catalog/default/model/x');
  });

  it('links to the request in the view of its reader', () => {
    expect(requestLink('abc', 'approvals')).toBe(
      '/models/approvals?request=abc',
    );
    expect(requestLink('a&b', 'requests')).toBe(
      '/models/requests?request=a%26b',
    );
  });

  it('shortens refs without a catalog, keeping a non-default namespace', () => {
    expect(shortNameOf('user:default/amara.nwosu')).toBe('amara.nwosu');
    expect(shortNameOf('model:research/tiny-llm')).toBe('research/tiny-llm');
    expect(shortNameOf('not a ref')).toBe('not a ref');
  });

  it('uses the names it is given and clips a long purpose', () => {
    const names: Record<string, string> = {
      'model:default/m': 'My Model',
      'group:default/g': 'Team G',
      'user:default/u': 'Una User',
    };
    const message = requestCreatedNotification(ref => names[ref] ?? ref, {
      id: '1',
      model: 'model:default/m',
      team: 'group:default/g',
      requester: 'user:default/u',
      purpose: 'x'.repeat(2000),
    });
    expect(message.title).toBe('Team G requests My Model');
    expect(
      message.description.startsWith(
        'Una User asks for My Model for Team G: x',
      ),
    ).toBe(true);
    expect(message.description).toHaveLength(1000);
  });

  it('reads reconciler messages without refs by default', () => {
    const message = reconciledNotification({
      model: 'model:default/whisper',
      version: '3',
      status: 'rolled-back',
      cluster: 'sandbox',
      namespace: 'team-a',
      message: 'gone',
    } as any);
    expect(message.title).toBe(
      'whisper 3 was rolled back after an interruption or failed rollback',
    );
    expect(message.link).toBe('/catalog/default/model/whisper');
  });

  it('links every deployment notification to the model in its own namespace', () => {
    const record = {
      id: 'd1',
      model: 'model:research/tiny-llm',
      version: '1',
      team: 'group:research/lab',
      cluster: 'sandbox',
      namespace: 'lab',
      objects: [],
      status: 'deployed',
      deployedBy: 'user:default/u',
    } as any;
    for (const message of [
      deployedNotification(shortNameOf, record),
      rollbackFailedNotification({ ...record, status: 'rollback-failed' }),
      reconciledNotification(record),
    ]) {
      expect(message.link).toBe('/catalog/research/model/tiny-llm');
    }
  });
});
