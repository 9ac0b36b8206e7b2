import { Content, Header, Page } from '@backstage/core-components';
import { MarketplaceContent } from '../MarketplaceContent';

/**
 * The marketplace page of the legacy frontend system, with its own header.
 * The new frontend system renders {@link MarketplaceContent} under the
 * app's page header instead.
 */
export const MarketplacePage = (props: {
  title?: string;
  subtitle?: string;
}) => (
  <Page themeId="tool">
    <Header
      title={props.title ?? 'Models'}
      subtitle={
        props.subtitle ??
        'Find, compare and request the AI models your teams can run'
      }
    />
    <Content>
      <MarketplaceContent />
    </Content>
  </Page>
);
