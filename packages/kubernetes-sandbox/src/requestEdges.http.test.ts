import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import { deployment, fetchRaw } from './__testUtils__/clients';

/*
 * Requests the API server refuses before touching any object: unknown API
 * groups and OpenAPI paths, methods a route does not take, bodies that
 * contradict their URL and bad dryRun values. Each answer is a Status that
 * names the problem, and nothing is stored.
 */

// Generous: the machine running the suite may be busy; no test waits on time.
jest.setTimeout(60_000);

describe('sandbox refusals of malformed requests over HTTPS', () => {
  let sandbox: KubernetesSandbox;
  const token = 'edge-token';
  const deployments = '/apis/apps/v1/namespaces/ns/deployments';

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [token]: '*' },
      namespaces: ['ns'],
      rolloutDelayMs: 60_000,
    });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const send = (
    path: string,
    method: string,
    body?: unknown,
    contentType = 'application/json',
  ) =>
    fetchRaw(sandbox, path, token, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      contentType: body === undefined ? undefined : contentType,
    });

  const stored = () =>
    sandbox
      .listObjects()
      .filter(o => o.kind === 'Deployment')
      .map(o => o.metadata?.name);

  it('answers 404 for an unknown API group and unknown OpenAPI paths', async () => {
    const group = await send('/apis/no.such.group', 'GET');
    expect(group.status).toBe(404);
    expect(group.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });

    const known = await send('/apis/apps', 'GET');
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ kind: 'APIGroup', name: 'apps' });

    const v2 = await send('/openapi/v2', 'GET');
    expect(v2.status).toBe(404);
    const unknownGv = await send('/openapi/v3/apis/no.such/v1', 'GET');
    expect(unknownGv.status).toBe(404);
  });

  it('refuses methods a collection or an object does not take with 405', async () => {
    const put = await send(deployments, 'PUT', deployment('x', 'ns', 1));
    expect(put.status).toBe(405);
    expect(put.body).toMatchObject({ reason: 'MethodNotAllowed' });
    expect(put.body.message).toBe('PUT is not allowed on a collection');

    const post = await send(
      `${deployments}/x`,
      'POST',
      deployment('x', 'ns', 1),
    );
    expect(post.status).toBe(405);
    expect(post.body.message).toBe('POST is not allowed on an object');

    const created = await send(
      deployments,
      'POST',
      deployment('keep', 'ns', 1),
    );
    expect(created.status).toBe(201);
    const deleteStatus = await send(`${deployments}/keep/status`, 'DELETE');
    expect(deleteStatus.status).toBe(405);
    expect(deleteStatus.body.message).toBe(
      'DELETE is not allowed on a subresource',
    );
    expect(stored()).toEqual(['keep']);
  });

  it('refuses a watch on a namespace that does not exist', async () => {
    const res = await send(
      '/apis/apps/v1/namespaces/nowhere/deployments?watch=true',
      'GET',
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      reason: 'NotFound',
      details: { kind: 'namespaces', name: 'nowhere' },
    });
  });

  it('refuses a body that is not an object or contradicts the URL', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      [deployments, 'POST', ['a list'], 'the body must be a JSON object'],
      [
        deployments,
        'POST',
        { ...deployment('a', 'ns', 1), apiVersion: 'apps/v2' },
        'the API version in the data (apps/v2) does not match the expected API version (apps/v1)',
      ],
      [
        deployments,
        'POST',
        { ...deployment('b', 'ns', 1), kind: 'StatefulSet' },
        'the kind in the data (StatefulSet) does not match the expected kind (Deployment)',
      ],
      [
        deployments,
        'POST',
        deployment('c', 'other-ns', 1),
        'the namespace of the provided object does not match the namespace sent on the request',
      ],
      [
        `${deployments}/keep`,
        'PUT',
        deployment('not-keep', 'ns', 1),
        'the name of the object does not match the name on the URL',
      ],
    ];
    for (const [path, method, body, message] of cases) {
      const res = await send(path, method, body);
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 400,
        message,
      });
    }
    expect(stored()).not.toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });

  it('refuses a dryRun value other than All, in the query or DeleteOptions', async () => {
    const query = await send(
      `${deployments}?dryRun=Some`,
      'POST',
      deployment('dry', 'ns', 1),
    );
    expect(query.status).toBe(400);
    expect(query.body.message).toBe(
      'Invalid dry run value: "Some"; only "All" is supported',
    );

    const options = await send(`${deployments}/keep`, 'DELETE', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      dryRun: ['Partly'],
    });
    expect(options.status).toBe(400);
    expect(options.body.message).toBe(
      'Invalid dry run value: "Partly"; only "All" is supported',
    );
    expect(stored()).toContain('keep');
    expect(stored()).not.toContain('dry');
  });

  it('names the field manager "unknown" when neither query nor user agent names one', async () => {
    // Node's https client sends no User-Agent header.
    const res = await send(deployments, 'POST', deployment('managed', 'ns', 1));
    expect(res.status).toBe(201);
    expect(
      res.body.metadata.managedFields.map((f: any) => [f.manager, f.operation]),
    ).toEqual([['unknown', 'Update']]);
  });
});
