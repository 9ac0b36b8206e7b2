import https from 'node:https';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import { deployment } from './__testUtils__/clients';

/*
 * The object verbs over raw HTTPS, as kubectl and client libraries send
 * them: merge patches of the object and of its status, stale
 * resourceVersions, delete preconditions, collection deletes, generated
 * names, and the errors a malformed request gets (Kubernetes Status bodies
 * with the right code and reason).
 */

type Answer = { status: number; body: any };

describe('sandbox object API over HTTPS', () => {
  let sandbox: KubernetesSandbox;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { t: ['ns'] },
      namespaces: ['ns'],
      rolloutDelayMs: 60_000,
    });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer> {
    let text: string | undefined;
    if (typeof body === 'string') text = body;
    else if (body !== undefined) text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${sandbox.url}${path}`,
        {
          method,
          ca: Buffer.from(sandbox.caData, 'base64'),
          headers: {
            Authorization: 'Bearer t',
            ...(text === undefined
              ? {}
              : {
                  'Content-Type': contentType,
                  'Content-Length': String(Buffer.byteLength(text)),
                }),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              body: raw ? JSON.parse(raw) : undefined,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  const deployments = '/apis/apps/v1/namespaces/ns/deployments';

  it('names an object from generateName', async () => {
    const body = deployment('ignored', 'ns', 1);
    const { name: _name, ...metadata } = body.metadata;
    const created = await call('POST', deployments, {
      ...body,
      metadata: { ...metadata, generateName: 'gen-' },
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata.name).toMatch(/^gen-[0-9a-f]{5}$/);
  });

  it('merge-patches an object, keeping its name, and refuses a stale resourceVersion', async () => {
    const created = await call('POST', deployments, deployment('mp', 'ns', 1));
    const rv = created.body.metadata.resourceVersion;
    const patched = await call(
      'PATCH',
      `${deployments}/mp`,
      {
        metadata: { name: 'renamed', labels: { tier: 'gpu' } },
        spec: { replicas: 3 },
        status: { replicas: 99 },
      },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).toMatchObject({
      name: 'mp',
      namespace: 'ns',
      labels: { app: 'mp', tier: 'gpu' },
    });
    expect(patched.body.spec.replicas).toBe(3);
    // a patch of the object leaves the status alone
    expect(patched.body.status?.replicas).not.toBe(99);
    expect(patched.body.metadata.resourceVersion).not.toBe(rv);

    const stale = await call(
      'PATCH',
      `${deployments}/mp`,
      { metadata: { resourceVersion: rv }, spec: { replicas: 1 } },
      'application/strategic-merge-patch+json',
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
    });
    expect(stale.body.message).toContain('the object has been modified');
  });

  it('merge-patches the status subresource only', async () => {
    await call('POST', deployments, deployment('st', 'ns', 2));
    const patched = await call(
      'PATCH',
      `${deployments}/st/status`,
      { spec: { replicas: 7 }, status: { readyReplicas: 2 } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(patched.body.status.readyReplicas).toBe(2);
    expect(patched.body.spec.replicas).toBe(2);
  });

  it('refuses a patch in an unknown format and bodies it cannot read', async () => {
    await call('POST', deployments, deployment('bad', 'ns', 1));
    const unknown = await call(
      'PATCH',
      `${deployments}/bad`,
      [{ op: 'replace', path: '/spec/replicas', value: 2 }],
      'application/json-patch+json',
    );
    expect(unknown.status).toBe(415);
    expect(unknown.body.reason).toBe('UnsupportedMediaType');

    const garbled = await call(
      'POST',
      deployments,
      '{"kind":',
      'application/json',
    );
    expect(garbled.status).toBe(400);
    expect(garbled.body.message).toContain(
      'the body of the request could not be decoded',
    );

    const empty = await call(
      'PATCH',
      `${deployments}/bad`,
      ' ',
      'application/merge-patch+json',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe('the request body is empty');
  });

  it('deletes only when the preconditions hold', async () => {
    const created = await call('POST', deployments, deployment('pre', 'ns', 1));
    const wrongUid = await call('DELETE', `${deployments}/pre`, {
      preconditions: { uid: 'not-the-uid' },
    });
    expect(wrongUid.status).toBe(409);
    const wrongVersion = await call('DELETE', `${deployments}/pre`, {
      preconditions: { resourceVersion: '1' },
    });
    expect(wrongVersion.status).toBe(409);
    const ok = await call('DELETE', `${deployments}/pre`, {
      preconditions: {
        uid: created.body.metadata.uid,
        resourceVersion: created.body.metadata.resourceVersion,
      },
    });
    expect(ok.status).toBe(200);
    expect((await call('GET', `${deployments}/pre`)).status).toBe(404);
  });

  it('deletes a collection by label, and nothing on a dry run', async () => {
    for (const name of ['c1', 'c2']) {
      await call(
        'POST',
        deployments,
        deployment(name, 'ns', 1, { app: name, sweep: 'yes' }),
      );
    }
    const dry = await call(
      'DELETE',
      `${deployments}?labelSelector=sweep%3Dyes&dryRun=All`,
    );
    expect(dry.status).toBe(200);
    expect(dry.body.items.map((o: any) => o.metadata.name).sort()).toEqual([
      'c1',
      'c2',
    ]);
    expect((await call('GET', `${deployments}/c1`)).status).toBe(200);

    const done = await call(
      'DELETE',
      `${deployments}?labelSelector=sweep%3Dyes`,
    );
    expect(done.status).toBe(200);
    expect(done.body.kind).toBe('DeploymentList');
    expect((await call('GET', `${deployments}/c1`)).status).toBe(404);
    expect((await call('GET', `${deployments}/c2`)).status).toBe(404);
    // objects without the label stay
    expect((await call('GET', `${deployments}/mp`)).status).toBe(200);
  });

  it('refuses malformed apply patches, naming what is wrong', async () => {
    const apply = (name: string, body: unknown, query = 'fieldManager=t') =>
      call(
        'PATCH',
        `${deployments}/${name}?${query}`,
        body,
        'application/apply-patch+yaml',
      );
    const noManager = await apply('ap', deployment('ap', 'ns', 1), '');
    expect(noManager.status).toBe(422);
    expect(JSON.stringify(noManager.body)).toContain(
      'is required for apply patch',
    );
    const notObject = await apply('ap', '- a\n- b\n');
    expect(notObject.status).toBe(400);
    expect(notObject.body.message).toBe('the apply patch must be an object');
    const noKind = await apply('ap', { metadata: { name: 'ap' } });
    expect(noKind.status).toBe(400);
    const otherName = await apply('ap', deployment('other', 'ns', 1));
    expect(otherName.status).toBe(400);
    expect(otherName.body.message).toBe(
      'the name of the object does not match the name on the URL',
    );
    const statusOfNothing = await call(
      'PATCH',
      `${deployments}/nothing/status?fieldManager=t`,
      deployment('nothing', 'ns', 1),
      'application/apply-patch+yaml',
    );
    expect(statusOfNothing.status).toBe(404);
  });
});
