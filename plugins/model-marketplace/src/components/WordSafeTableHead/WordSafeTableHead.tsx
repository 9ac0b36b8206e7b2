import type { ReactNode } from 'react';
import TableHead from '@material-ui/core/TableHead';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  head: {
    '& th': {
      // Wrap between words only: a squeezed table grows wider (and its
      // container scrolls sideways) instead of breaking a header mid-word.
      overflowWrap: 'normal',
      wordBreak: 'keep-all',
      hyphens: 'manual',
      verticalAlign: 'bottom',
    },
  },
});

/** A table head whose headers never break inside a word. */
export const WordSafeTableHead = (props: { children: ReactNode }) => {
  const classes = useStyles();
  return <TableHead className={classes.head}>{props.children}</TableHead>;
};
