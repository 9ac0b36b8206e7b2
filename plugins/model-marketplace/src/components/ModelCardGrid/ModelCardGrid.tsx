import { startTransition, useEffect, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import type { ModelSummary } from '@aic/plugin-model-marketplace-common';
import { ModelCard } from '../ModelCard';

/**
 * Cards drawn in the first frame: two rows at the widest breakpoint (four
 * per row), more than a 1000-pixel-high window shows at once.
 */
export const FIRST_FRAME_CARDS = 8;

/**
 * The marketplace's card grid. It draws the first {@link FIRST_FRAME_CARDS}
 * cards at once and the rest right after that frame is painted, as a
 * transition that input can interrupt, so the first card does not wait for
 * a page of cards mostly below the fold.
 */
export const ModelCardGrid = (props: {
  items: ModelSummary[];
  loading?: boolean;
  selected: string[];
  maxSelected: number;
  onSelectedChange: (refs: string[]) => void;
}) => {
  const { items, loading, selected, maxSelected, onSelectedChange } = props;
  const [shown, setShown] = useState(FIRST_FRAME_CARDS);

  useEffect(() => {
    if (shown >= items.length) {
      return undefined;
    }
    // after the next paint: a frame, then a task
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setShown(items.length)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [items.length, shown]);

  return (
    <Grid
      container
      spacing={2}
      style={{ opacity: loading ? 0.6 : 1 }}
      aria-busy={loading}
    >
      {items.slice(0, shown).map(model => (
        <Grid item key={model.ref} xs={12} sm={6} lg={4} xl={3}>
          <ModelCard
            model={model}
            selected={selected.includes(model.ref)}
            selectDisabled={selected.length >= maxSelected}
            onSelectChange={on =>
              onSelectedChange(
                on
                  ? [...selected, model.ref]
                  : selected.filter(ref => ref !== model.ref),
              )
            }
          />
        </Grid>
      ))}
    </Grid>
  );
};
