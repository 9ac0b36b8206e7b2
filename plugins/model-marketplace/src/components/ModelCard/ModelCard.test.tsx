import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelSummary } from '../../testing';
import { setupUser } from '../../__testUtils__/setupUser';
import { ModelCard } from './ModelCard';

jest.setTimeout(60_000);

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

/** The term → definition pairs of the card's facts. */
function facts(card: HTMLElement) {
  const terms = within(card).getAllByRole('term');
  return Object.fromEntries(
    terms.map(t => [t.textContent, t.nextElementSibling?.textContent]),
  );
}

describe('ModelCard', () => {
  it('shows a model with its facts and links to its entity page', async () => {
    const onSelectChange = jest.fn();
    await renderInTestApp(
      <ModelCard
        model={modelSummary('llama-3-8b')}
        onSelectChange={onSelectChange}
      />,
      routes,
    );
    const card = screen.getByRole('article', { name: 'Llama 3 8b' });
    expect(
      within(card).getByRole('link', { name: 'Llama 3 8b' }),
    ).toHaveAttribute('href', '/catalog/default/model/llama-3-8b');
    expect(facts(card)).toEqual({
      Owner: 'ml-platform',
      Licence: 'apache-2.0',
      Parameters: '8B',
    });
    expect(within(card).getByText('text-generation')).toBeInTheDocument();
    expect(within(card).getByText('The llama-3-8b model.')).toBeInTheDocument();
    await setupUser().click(
      within(card).getByRole('checkbox', { name: 'Compare Llama 3 8b' }),
    );
    expect(onSelectChange).toHaveBeenCalledWith(true);
  });

  it('fills in what a model does not say, and has no Compare box without a handler', async () => {
    await renderInTestApp(
      <ModelCard
        model={modelSummary('bare', {
          title: undefined,
          task: undefined,
          license: undefined,
          parameters: undefined,
          description: undefined,
        })}
      />,
      routes,
    );
    const card = screen.getByRole('article', { name: 'bare' });
    expect(facts(card)).toEqual({
      Owner: 'ml-platform',
      Licence: '—',
      Parameters: '—',
    });
    expect(within(card).queryByText('text-generation')).not.toBeInTheDocument();
    expect(within(card).queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('disables Compare once enough models are chosen, except on those chosen', async () => {
    await renderInTestApp(
      <>
        <ModelCard
          model={modelSummary('chosen')}
          selected
          selectDisabled
          onSelectChange={jest.fn()}
        />
        <ModelCard
          model={modelSummary('other')}
          selectDisabled
          onSelectChange={jest.fn()}
        />
      </>,
      routes,
    );
    const chosen = screen.getByRole('checkbox', { name: 'Compare Chosen' });
    expect(chosen).toBeChecked();
    expect(chosen).toBeEnabled();
    const other = screen.getByRole('checkbox', { name: 'Compare Other' });
    expect(other).not.toBeChecked();
    expect(other).toBeDisabled();
  });
});
