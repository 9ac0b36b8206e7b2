import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { withCatalogFields } from './__testUtils__/exampleEntities';
import { startMarketplace, users } from './__testUtils__/startMarketplace';

/*
 * Trust properties of the REST API, through the real plugin on PostgreSQL and
 * SQLite: separation of duties, duplicate requests, NUL characters, the
 * default access policy and model cards behind symbolic links.
 */

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const { guest, marcus, jonas, amara, priya, service } = users;

/** A model without `spec.access` and one whose card is a link out of its folder. */
function extraModels(folder: string): Entity[] {
  const model = (name: string, extra: Record<string, unknown>) =>
    withCatalogFields({
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: {
        name,
        annotations: {
          'backstage.io/managed-by-location': `file:${folder}/catalog-info.yaml`,
        },
        ...extra,
      },
      spec: {
        type: 'llm',
        lifecycle: 'experimental',
        owner: 'ml-platform',
        versions: [
          { version: '1.0.0', artifact: 'hf://acme/x', default: true },
        ],
      },
    });
  return [
    model('no-policy-model', {}),
    model('linked-card-model', {
      annotations: {
        'backstage.io/managed-by-location': `file:${folder}/catalog-info.yaml`,
        'aic.dev/model-card': './card.md',
      },
    }),
  ];
}

describe.each(databases.eachSupportedId())(
  'model-marketplace plugin on %p',
  databaseId => {
    let server: any;
    let root: string;
    let db: Awaited<ReturnType<typeof databases.init>>;
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'trust-'));
      mkdirSync(join(root, 'models'));
      writeFileSync(join(root, 'secret.md'), '# server secret\n');
      writeFileSync(join(root, 'models', 'catalog-info.yaml'), 'kind: Model\n');
      symlinkSync(join(root, 'secret.md'), join(root, 'models', 'card.md'));
      const knex = await databases.init(databaseId);
      db = knex;
      ({ server } = await startMarketplace({
        entities: extraModels(join(root, 'models')),
        features: [mockServices.database.factory({ knex })],
      }));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const api = () => request(server);
    const create = (auth: string, body: object) =>
      api()
        .post('/api/model-marketplace/requests')
        .set('Authorization', auth)
        .send(body);
    const decide = (auth: string, id: string, decision: string) =>
      api()
        .post(`/api/model-marketplace/requests/${id}/decision`)
        .set('Authorization', auth)
        .send({ decision });

    describe('separation of duties', () => {
      it('refuses an approver deciding their own request, and lets another approver decide', async () => {
        // jonas is in ml-platform, which owns and approves the model
        const res = await create(jonas, {
          model: 'llama-3-1-8b-instruct',
          team: 'ml-platform',
          purpose: 'Own team evaluation',
        });
        expect(res.status).toBe(201);
        expect(res.body.status).toBe('pending');
        for (const decision of ['approve', 'reject']) {
          const own = await decide(jonas, res.body.id, decision);
          expect(own.status).toBe(403);
          expect(own.body.error.name).toBe('NotAllowedError');
          expect(own.body.error.message).toContain('separation of duties');
          expect(own.body.error.message).toContain(
            'another approver of group:default/ml-platform',
          );
        }
        const read = await api()
          .get(`/api/model-marketplace/requests/${res.body.id}`)
          .set('Authorization', jonas);
        expect(read.body.status).toBe('pending');
        expect(read.body.timeline).toHaveLength(1);

        const other = await decide(amara, res.body.id, 'approve');
        expect(other.status).toBe(200);
        expect(other.body).toMatchObject({
          status: 'approved',
          decidedBy: 'user:default/amara.nwosu',
        });
      });
    });

    describe('a request another replica changed', () => {
      it('refuses a decision on a request closed elsewhere since this replica created it', async () => {
        const res = await create(guest, {
          model: 'whisper-large-v3',
          team: 'team-assistants',
          purpose: 'Closed by another replica',
          version: '3.0.0-ct2-int8',
        });
        expect(res.status).toBe(201);
        // another replica (same database) cancels it: this replica still
        // holds the request as it created it
        await db('model_requests')
          .where({ id: res.body.id })
          .update({ status: 'cancelled' });

        const decided = await decide(marcus, res.body.id, 'approve');
        expect(decided.status).toBe(409);
        expect(decided.body.error.message).toContain(
          `Request ${res.body.id} is cancelled`,
        );
        const row = await db('model_requests')
          .where({ id: res.body.id })
          .first();
        expect(row).toMatchObject({ status: 'cancelled', decided_by: null });
        // no timeline entry of a decision that did not happen
        expect(
          await db('model_request_events')
            .where({ request_id: res.body.id })
            .pluck('action'),
        ).toEqual(['created']);
      });

      it('answers 404 for a request deleted elsewhere since this replica created it', async () => {
        const res = await create(guest, {
          model: 'whisper-large-v3',
          team: 'team-assistants',
          purpose: 'Deleted by another replica',
        });
        expect(res.status).toBe(201);
        await db('model_requests').where({ id: res.body.id }).delete();
        const decided = await decide(marcus, res.body.id, 'approve');
        expect(decided.status).toBe(404);
        expect(decided.body.error.message).toContain(res.body.id);
      });
    });

    describe('duplicate requests', () => {
      it('answers 409 naming the open request of the team', async () => {
        const body = {
          model: 'whisper-large-v3',
          team: 'team-assistants',
          purpose: 'Transcripts',
        };
        const first = await create(guest, body);
        expect(first.status).toBe(201);
        // the same person, and another member of the same team
        for (const who of [guest, marcus]) {
          const again = await create(who, { ...body, purpose: 'Again' });
          expect(again.status).toBe(409);
          expect(again.body.error.name).toBe('ConflictError');
          expect(again.body.error.message).toContain(first.body.id);
          expect(again.body.error.existingRequestId).toBe(first.body.id);
          expect(again.body.error.existingRequestStatus).toBe('pending');
        }
        // a different version is a different request
        const other = await create(guest, {
          ...body,
          version: '3.0.0-ct2-int8',
        });
        expect(other.status).toBe(201);
        // after approval the team still may not ask again
        expect((await decide(marcus, first.body.id, 'approve')).status).toBe(
          200,
        );
        const afterApproval = await create(guest, body);
        expect(afterApproval.status).toBe(409);
        expect(afterApproval.body.error.existingRequestStatus).toBe('approved');
        // after a rejection it may
        expect((await decide(marcus, other.body.id, 'reject')).status).toBe(
          200,
        );
        expect(
          (await create(guest, { ...body, version: '3.0.0-ct2-int8' })).status,
        ).toBe(201);
      });

      it('lets exactly one of many concurrent identical requests through', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            create(priya, {
              model: 'yolov8-defect-detector',
              version: '2024.07',
              team: 'team-vision',
              purpose: `Race ${i}`,
            }),
          ),
        );
        const statuses = results.map(r => r.status).sort();
        expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
        const winner = results.find(r => r.status === 201)!.body.id;
        for (const r of results.filter(x => x.status === 409)) {
          expect(r.body.error.existingRequestId).toBe(winner);
        }
        const listed = await api()
          .get('/api/model-marketplace/requests')
          .query({ model: 'yolov8-defect-detector', team: 'team-vision' })
          .set('Authorization', service);
        expect(listed.body.totalItems).toBe(1);
        const details = await api()
          .get('/api/model-marketplace/models/default/yolov8-defect-detector')
          .set('Authorization', priya);
        expect(details.body.requestCounts.pending).toBe(1);
      });
    });

    describe('NUL characters', () => {
      const nul = '\u0000';
      it.each([
        [
          'post',
          '/requests',
          { model: `llama${nul}`, team: 'x', purpose: 'x' },
          "'model'",
        ],
        [
          'post',
          '/requests',
          {
            model: 'llama-3-1-8b-instruct',
            team: 'team-assistants',
            purpose: `a${nul}b`,
          },
          "'purpose'",
        ],
        ['post', '/requests', { [`pur${nul}pose`]: 'x' }, 'field name'],
        [
          'post',
          '/requests/abc/decision',
          { decision: 'approve', comment: nul },
          "'comment'",
        ],
        [
          'post',
          '/requests/abc/cancel',
          { comment: [`x${nul}`] },
          "'comment.0'",
        ],
      ] as const)(
        'answers 400 for %s %s with a NUL in the body',
        async (method, path, body, field) => {
          const res = await api()
            [method](`/api/model-marketplace${path}`)
            .set('Authorization', guest)
            .send(body);
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toContain(field);
          expect(res.body.error.message).toContain('NUL');
          expect(res.body.error.stack).toBeUndefined();
        },
      );

      it.each([
        ['/models?q=a%00b', "'q'"],
        ['/models?type=llm&type=%00', "'type.1'"],
        ['/requests?model=x%00', "'model'"],
        ['/deployments?team=%00', "'team'"],
        ['/requests/abc%00def', "'id'"],
        ['/models/default/llama%00', "'name'"],
        ['/models/def%00ault/llama/card', "'namespace'"],
      ])('answers 400 for GET %s', async (path, field) => {
        const res = await api()
          .get(`/api/model-marketplace${path}`)
          .set('Authorization', guest);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        expect(res.body.error.message).toContain('NUL');
      });

      it('answers 400 for a NUL in a path parameter of a write', async () => {
        const res = await api()
          .post('/api/model-marketplace/requests/a%00/decision')
          .set('Authorization', guest)
          .send({ decision: 'approve' });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain("'id'");
        const patch = await api()
          .patch('/api/model-marketplace/deployments/x')
          .set('Authorization', service)
          .send({
            status: 'deployed',
            actor: 'user:default/guest',
            objects: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                namespace: 'a',
                name: `b${nul}`,
              },
            ],
          });
        expect(patch.status).toBe(400);
        expect(patch.body.error.message).toContain("'objects.0.name'");
      });
    });

    describe('a model without spec.access', () => {
      it('shows as approval and needs an approver', async () => {
        const details = await api()
          .get('/api/model-marketplace/models/default/no-policy-model')
          .set('Authorization', guest);
        expect(details.status).toBe(200);
        expect(details.body.model.accessPolicy).toBe('approval');
        expect(details.body.approvers).toEqual(['group:default/ml-platform']);
        const listed = await api()
          .get('/api/model-marketplace/models?q=no-policy-model')
          .set('Authorization', guest);
        expect(
          listed.body.items.find((m: any) => m.name === 'no-policy-model')
            ?.accessPolicy,
        ).toBe('approval');
        const res = await create(guest, {
          model: 'no-policy-model',
          team: 'team-assistants',
          purpose: 'Default policy',
        });
        expect(res.status).toBe(201);
        expect(res.body.status).toBe('pending');
      });
    });

    describe('model cards', () => {
      it('refuses a card that is a symbolic link out of the location folder', async () => {
        const res = await api()
          .get('/api/model-marketplace/models/default/linked-card-model/card')
          .set('Authorization', guest);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('outside the folder');
        expect(res.text).not.toContain('server secret');
        expect(res.text).not.toContain(root);
      });
    });
  },
);
