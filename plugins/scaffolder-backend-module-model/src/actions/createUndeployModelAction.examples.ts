import { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples of `model:undeploy`; a test runs each one through the handler. */
export const examples: TemplateExample[] = [
  {
    description: "Remove a model's default version from a team namespace",
    example: `steps:
  - id: undeploy
    name: Undeploy model
    action: model:undeploy
    input:
      model: model:default/multilingual-e5-large
      team: group:default/team-assistants
      namespace: team-assistants
`,
  },
];
