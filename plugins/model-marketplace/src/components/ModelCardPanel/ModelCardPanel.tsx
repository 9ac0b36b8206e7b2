import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Link,
  MarkdownContent,
  Progress,
} from '@backstage/core-components';
import { fetchApiRef, useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_MODEL_CARD } from '@aic/plugin-model-marketplace-common';
import { resolveModelCardUrl } from './resolveModelCardUrl';

const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

/**
 * The model card: the markdown named by `aic.dev/model-card`, fetched when
 * it is a URL the browser can read, otherwise a pointer to it; or a link to
 * the entity's TechDocs.
 */
export const ModelCardPanel = (props: {
  entity: Entity;
  docsLink?: string;
}) => {
  const { entity } = props;
  const fetchApi = useApi(fetchApiRef);
  const card = resolveModelCardUrl(entity);
  const hasTechDocs = !!entity.metadata.annotations?.[TECHDOCS_ANNOTATION];

  const {
    value: markdown,
    loading,
    error,
  } = useAsync(async () => {
    if (card?.type !== 'url') {
      return undefined;
    }
    const response = await fetchApi.fetch(card.location);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || type.includes('html')) {
      throw new Error(`The model card answered ${response.status}`);
    }
    return response.text();
  }, [card?.location, card?.type]);

  let body: JSX.Element;
  if (!card) {
    body = hasTechDocs ? (
      <Typography variant="body2">
        The model card is in the{' '}
        <Link to={props.docsLink ?? 'docs'}>documentation</Link>.
      </Typography>
    ) : (
      <Typography variant="body2" color="textSecondary">
        No model card yet. Owners add one with the annotation{' '}
        <code>aic.dev/model-card</code> naming a markdown file, or with
        TechDocs.
      </Typography>
    );
  } else if (loading) {
    body = <Progress />;
  } else if (markdown) {
    body = (
      <MarkdownContent content={markdown} dialect="gfm" linkTarget="_blank" />
    );
  } else {
    body = (
      <Typography variant="body2">
        {card.type === 'url' ? (
          <>
            <Link to={card.location}>Open the model card</Link>
            {error ? ' (it could not be shown here)' : ''}
          </>
        ) : (
          <>
            The model card is the file{' '}
            <code>{entity.metadata.annotations?.[ANNOTATION_MODEL_CARD]}</code>{' '}
            next to the model's catalog file; it is not reachable by URL from
            the browser.
          </>
        )}
      </Typography>
    );
  }
  return (
    <InfoCard title="Model card" variant="gridItem">
      <div style={{ maxHeight: 640, overflowY: 'auto' }}>{body}</div>
    </InfoCard>
  );
};
