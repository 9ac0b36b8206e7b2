import { act, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelSummary } from '../../testing';
import { FIRST_FRAME_CARDS, ModelCardGrid } from './ModelCardGrid';
import { setupUser } from '../../__testUtils__/setupUser';

const models = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    modelSummary(`model-${String(i).padStart(2, '0')}`),
  );

async function renderGrid(
  items: ReturnType<typeof models>,
  selected: string[] = [],
  onSelectedChange = jest.fn(),
) {
  return renderInTestApp(
    <ModelCardGrid
      items={items}
      selected={selected}
      maxSelected={4}
      onSelectedChange={onSelectedChange}
    />,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ModelCardGrid', () => {
  it('draws the first cards at once and the rest after that frame', async () => {
    // hold the next frame back, so the first one can be looked at
    const frames: FrameRequestCallback[] = [];
    const raf = jest
      .spyOn(window, 'requestAnimationFrame')
      .mockImplementation(callback => frames.push(callback));
    await renderGrid(models(24));
    // the first frame holds only the first cards, in order
    const first = screen.getAllByTestId('model-card');
    expect(first).toHaveLength(FIRST_FRAME_CARDS);
    expect(first[0]).toHaveAccessibleName('Model 00');
    expect(frames).toHaveLength(1);
    raf.mockRestore();
    act(() => frames[0](performance.now()));
    await waitFor(() =>
      expect(screen.getAllByTestId('model-card')).toHaveLength(24),
    );
    const all = screen.getAllByTestId('model-card');
    expect(all[23]).toHaveAccessibleName('Model 23');
  });

  it('draws a short page in one go', async () => {
    await renderGrid(models(3));
    expect(screen.getAllByTestId('model-card')).toHaveLength(3);
  });

  it('reports the selection with a card added or removed', async () => {
    const user = setupUser();
    const onSelectedChange = jest.fn();
    await renderGrid(models(3), ['model:default/model-01'], onSelectedChange);
    await user.click(
      screen.getByRole('checkbox', { name: 'Compare Model 00' }),
    );
    expect(onSelectedChange).toHaveBeenLastCalledWith([
      'model:default/model-01',
      'model:default/model-00',
    ]);
    await user.click(
      screen.getByRole('checkbox', { name: 'Compare Model 01' }),
    );
    expect(onSelectedChange).toHaveBeenLastCalledWith([]);
  });
});
