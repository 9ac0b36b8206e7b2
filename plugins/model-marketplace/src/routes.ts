import { createRouteRef } from '@backstage/core-plugin-api';

/** The marketplace page. @public */
export const rootRouteRef = createRouteRef({ id: 'model-marketplace' });
