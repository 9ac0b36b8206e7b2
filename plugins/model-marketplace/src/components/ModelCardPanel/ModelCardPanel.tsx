import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Link,
  MarkdownContent,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_MODEL_CARD } from '@aic/plugin-model-marketplace-common';
import { resolveModelCardUrl } from './resolveModelCardUrl';
import { modelMarketplaceApiRef } from '../../api/modelMarketplaceApiRef';

const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

// The card reads at the page's full width, in the page's own scroll: wide
// tables scroll sideways on their own and images shrink to fit.
const useStyles = makeStyles({
  body: {
    minWidth: 0,
    '& table': {
      display: 'block',
      width: 'max-content',
      maxWidth: '100%',
      overflowX: 'auto',
    },
    '& img': { maxWidth: '100%', height: 'auto' },
    '& pre': { maxWidth: '100%', overflowX: 'auto' },
  },
});

/**
 * The model card: the markdown named by `aic.dev/model-card`, read by the
 * marketplace backend (which resolves it against the entity's location and
 * reads it through Backstage's UrlReader, or from a `file:` location's
 * folder), with a pointer to it when it cannot be read; or a link to the
 * entity's TechDocs.
 */
export const ModelCardPanel = (props: {
  entity: Entity;
  docsLink?: string;
}) => {
  const { entity } = props;
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const card = resolveModelCardUrl(entity);
  const hasTechDocs = !!entity.metadata.annotations?.[TECHDOCS_ANNOTATION];

  const {
    value: markdown,
    loading,
    error,
  } = useAsync(async () => {
    if (!card) {
      return undefined;
    }
    return api.getModelCard(stringifyEntityRef(entity));
  }, [api, card?.location, entity]);

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
            The model card{' '}
            <code>{entity.metadata.annotations?.[ANNOTATION_MODEL_CARD]}</code>{' '}
            could not be read{error ? `: ${error.message}` : ''}.
          </>
        )}
      </Typography>
    );
  }
  return (
    <InfoCard title="Model card" variant="gridItem">
      <div className={classes.body} data-testid="model-card-body">
        {body}
      </div>
    </InfoCard>
  );
};
