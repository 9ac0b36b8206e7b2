import { render, screen } from '@testing-library/react';
import Table from '@material-ui/core/Table';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { WordSafeTableHead } from './WordSafeTableHead';

describe('WordSafeTableHead', () => {
  it('lets headers wrap between words but never inside one', () => {
    render(
      <Table>
        <WordSafeTableHead>
          <TableRow>
            <TableCell>Throughput (tokens/s)</TableCell>
          </TableRow>
        </WordSafeTableHead>
      </Table>,
    );
    const header = screen.getByRole('columnheader', {
      name: 'Throughput (tokens/s)',
    });
    const style = getComputedStyle(header);
    expect(style.overflowWrap).toBe('normal');
    expect(style.wordBreak).toBe('keep-all');
    expect(style.whiteSpace).not.toBe('nowrap');
  });
});
