import { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import type { ModelFacetField } from '@aic/plugin-model-marketplace-common';
import { setupUser } from '../../__testUtils__/setupUser';
import { FacetFilters } from './FacetFilters';

jest.setTimeout(60_000);

const noneSelected: Record<ModelFacetField, string[]> = {
  type: [],
  task: [],
  license: [],
  owner: [],
  lifecycle: [],
  framework: [],
  tag: [],
};

const tags = [
  'chat',
  'code',
  'rag',
  'vision',
  'ocr',
  'audio',
  'math',
  'agents',
];

/** The filters as the browser holds them: the selection is the state. */
const Stateful = (props: { initial?: Partial<typeof noneSelected> }) => {
  const [selected, setSelected] = useState({
    ...noneSelected,
    ...props.initial,
  });
  return (
    <FacetFilters
      facets={{
        owner: [{ value: 'group:default/ml-platform', count: 4 }],
        tag: tags.map((value, i) => ({ value, count: 10 - i })),
      }}
      selected={selected}
      onChange={(field, values) =>
        setSelected(current => ({ ...current, [field]: values }))
      }
    />
  );
};

describe('FacetFilters', () => {
  it('ticks and unticks values, showing owners by their short names', async () => {
    render(<Stateful />);
    const user = setupUser();
    const owner = screen.getByRole('checkbox', {
      name: 'Owner: ml-platform',
    });
    expect(owner).not.toBeChecked();
    expect(
      within(screen.getByRole('group', { name: 'Owner' })).getByText('4'),
    ).toBeInTheDocument();
    await user.click(owner);
    expect(owner).toBeChecked();
    await user.click(owner);
    expect(owner).not.toBeChecked();
    // Facets without values are left out.
    expect(
      screen.queryByRole('group', { name: 'Type' }),
    ).not.toBeInTheDocument();
  });

  it('shows six values of a long facet until asked for all, keeping ticked ones', async () => {
    render(<Stateful initial={{ tag: ['agents'] }} />);
    const user = setupUser();
    const tagGroup = screen.getByRole('group', { name: 'Tag' });
    const names = () =>
      within(tagGroup)
        .getAllByRole('checkbox')
        .map(c => c.getAttribute('aria-label'));
    // the first six, and the ticked one beyond them
    expect(names()).toEqual([
      ...tags.slice(0, 6).map(t => `Tag: ${t}`),
      'Tag: agents',
    ]);
    await user.click(
      within(tagGroup).getByRole('button', { name: 'Show all 8' }),
    );
    expect(names()).toHaveLength(8);
    await user.click(
      within(tagGroup).getByRole('button', { name: 'Show fewer' }),
    );
    expect(names()).toHaveLength(7);
  });

  it('keeps a ticked value that no model matches any more, with a count of 0', () => {
    render(<Stateful initial={{ license: ['mit'] }} />);
    const licence = screen.getByRole('group', { name: 'Licence' });
    expect(
      within(licence).getByRole('checkbox', { name: 'Licence: mit' }),
    ).toBeChecked();
    expect(within(licence).getByText('0')).toBeInTheDocument();
  });

  it('draws nothing but the group before the facets have loaded', () => {
    render(<FacetFilters selected={noneSelected} onChange={jest.fn()} />);
    expect(
      screen.getByRole('group', { name: 'Filters' }),
    ).toBeEmptyDOMElement();
  });
});
