import Table, { type TableProps } from '@material-ui/core/Table';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  table: {
    '& th, & td': {
      // Wrap between words only: names such as "Assistants" or a model's
      // title never split mid-word; a squeezed table grows wider and its
      // container scrolls sideways. Cells that must break anywhere (URIs,
      // endpoints) say so on their own content.
      overflowWrap: 'normal',
      wordBreak: 'keep-all',
      hyphens: 'manual',
    },
  },
});

/** A MUI table whose header and body cells never break inside a word. */
export const WordSafeTable = (props: TableProps) => {
  const classes = useStyles();
  const { className, ...rest } = props;
  return (
    <Table
      {...rest}
      className={className ? `${classes.table} ${className}` : classes.table}
    />
  );
};
