import { createFrontendModule } from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { modelFirstContents } from './modelFirstContents';

/**
 * The catalog's entity page, with the tabs of Model entities reordered: a
 * Model opens on the marketplace's "Model" content (at the entity's own URL)
 * and keeps the generic Overview as a later tab at `…/overview`. Every other
 * kind keeps the catalog's layout.
 */
const entityPage = catalogPlugin.getExtension('page:catalog/entity').override({
  factory(originalFactory, { inputs }) {
    return originalFactory({
      inputs: { ...inputs, contents: modelFirstContents(inputs.contents) },
    });
  },
});

export const entityPageModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [entityPage],
});
