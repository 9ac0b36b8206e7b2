import { z } from 'zod';
import {
  deployInputFields,
  deployOutputFields,
  objectSchema,
  undeployInputFields,
  undeployOutputFields,
  withoutEmptyValues,
} from './deployModelSchema';

describe('model action schemas', () => {
  it('describes every field', () => {
    for (const fields of [
      deployInputFields,
      deployOutputFields,
      undeployInputFields,
      undeployOutputFields,
    ]) {
      for (const [name, build] of Object.entries(fields)) {
        expect([name, build(z).description]).toEqual([
          name,
          expect.stringMatching(/\w/),
        ]);
      }
    }
  });

  it('parses deploy input and drops empty optional values', () => {
    const schema = objectSchema(deployInputFields);
    expect(
      schema.parse(
        withoutEmptyValues({
          model: 'model:default/m',
          version: '',
          team: 'group:default/t',
          namespace: 'team-a',
          replicas: null,
        }),
      ),
    ).toEqual({
      model: 'model:default/m',
      team: 'group:default/t',
      namespace: 'team-a',
    });
    expect(() =>
      schema.parse({
        model: 'm',
        team: 't',
        namespace: 'Not_A_Namespace',
      }),
    ).toThrow(/DNS label/);
    expect(() =>
      schema.parse({ model: 'm', team: 't', namespace: 'a', replicas: 11 }),
    ).toThrow();
  });

  it('reads no input at all as empty, so the schema names the missing fields', () => {
    expect(withoutEmptyValues(undefined)).toEqual({});
    expect(withoutEmptyValues(null)).toEqual({});
    expect(() =>
      objectSchema(deployInputFields).parse(withoutEmptyValues(undefined)),
    ).toThrow(/model/);
  });
});
