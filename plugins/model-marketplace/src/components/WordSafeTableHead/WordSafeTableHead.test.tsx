import { render, screen } from '@testing-library/react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { WordSafeTableHead } from './WordSafeTableHead';
import { WordSafeTable } from './WordSafeTable';

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

describe('WordSafeTable', () => {
  it('keeps body cells from breaking inside a word too', () => {
    render(
      <WordSafeTable aria-label="Requests">
        <TableBody>
          <TableRow>
            <TableCell>Assistants</TableCell>
          </TableRow>
        </TableBody>
      </WordSafeTable>,
    );
    expect(screen.getByRole('table', { name: 'Requests' })).toBeInTheDocument();
    const cell = screen.getByRole('cell', { name: 'Assistants' });
    expect(getComputedStyle(cell).overflowWrap).toBe('normal');
    expect(getComputedStyle(cell).wordBreak).toBe('keep-all');
  });
});
