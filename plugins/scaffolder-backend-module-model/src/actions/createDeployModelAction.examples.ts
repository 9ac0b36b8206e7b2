import { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `model:deploy`; a test runs each one through the handler. */
export const examples: TemplateExample[] = [
  {
    description: 'Deploy the default version of an open model',
    example: `steps:
  - id: deploy
    name: Deploy model
    action: model:deploy
    input:
      model: model:default/multilingual-e5-large
      team: group:default/team-assistants
      namespace: team-assistants
`,
  },
  {
    description:
      'Deploy a given version with two replicas on a named cluster and a shorter timeout',
    example: `steps:
  - id: deploy
    name: Deploy model
    action: model:deploy
    input:
      model: model:default/mistral-7b-instruct
      version: v0.2
      team: group:default/team-assistants
      namespace: team-assistants-dev
      cluster: sandbox
      replicas: 2
      timeoutSeconds: 60
`,
  },
  {
    description: 'Deploy a KServe model (renders an InferenceService)',
    example: `steps:
  - id: deploy
    name: Deploy model
    action: model:deploy
    input:
      model: model:default/all-minilm-l6-v2
      team: group:default/team-assistants
      namespace: team-assistants
`,
  },
];
