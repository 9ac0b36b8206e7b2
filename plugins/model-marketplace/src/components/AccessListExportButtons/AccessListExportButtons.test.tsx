import { fireEvent, screen, waitFor } from '@testing-library/react';
import { alertApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AccessListExportButtons } from './AccessListExportButtons';
import { modelMarketplaceApiRef } from '../../api/modelMarketplaceApiRef';

/*
 * The approver's export buttons: each format asks the backend for that
 * format and hands the text to the browser as a file named after the model;
 * a failure is reported through the alert API and the buttons come back.
 */

type Download = {
  fileName: string;
  type: string;
  text: string;
  /** whether the link was in the document when it was clicked */
  attached: boolean;
};

describe('AccessListExportButtons', () => {
  const realCreate = URL.createObjectURL;
  const realRevoke = URL.revokeObjectURL;
  let downloads: Download[];
  let revoked: string[];

  beforeEach(() => {
    downloads = [];
    revoked = [];
    const blobs = new Map<string, Blob>();
    // jsdom has no object URLs; keep the blob so the test can read it back.
    URL.createObjectURL = (blob: Blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob);
      return url;
    };
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
    };
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        const blob = blobs.get(this.href)!;
        const entry = {
          fileName: this.download,
          type: blob.type,
          text: '',
          attached: document.body.contains(this),
        };
        downloads.push(entry);
        blob.text().then(t => {
          entry.text = t;
        });
      });
  });

  afterEach(() => {
    URL.createObjectURL = realCreate;
    URL.revokeObjectURL = realRevoke;
    jest.restoreAllMocks();
  });

  async function renderButtons(
    exportAccessList: (ref: string, format: string) => Promise<string>,
    post = jest.fn(),
  ) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [modelMarketplaceApiRef, { exportAccessList } as any],
          [alertApiRef, { post } as any],
        ]}
      >
        <AccessListExportButtons
          modelRef="model:default/whisper-large-v3"
          fileName="whisper-large-v3"
        />
      </TestApiProvider>,
    );
    return post;
  }

  it('downloads the CSV and the JSON access list under the model name', async () => {
    const exportAccessList = jest.fn(async (_ref: string, format: string) =>
      format === 'csv' ? 'id,team\nr1,team-search\n' : '[{"id":"r1"}]',
    );
    const post = await renderButtons(exportAccessList);

    fireEvent.click(
      screen.getByRole('button', { name: 'Export the access list as CSV' }),
    );
    await waitFor(() => expect(downloads).toHaveLength(1));
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Export the access list as JSON',
      }),
    );
    await waitFor(() => expect(downloads).toHaveLength(2));
    await waitFor(() => expect(downloads[1].text).not.toBe(''));

    expect(exportAccessList.mock.calls).toEqual([
      ['model:default/whisper-large-v3', 'csv'],
      ['model:default/whisper-large-v3', 'json'],
    ]);
    expect(downloads).toEqual([
      {
        fileName: 'whisper-large-v3-access-list.csv',
        type: 'text/csv',
        text: 'id,team\nr1,team-search\n',
        attached: true,
      },
      {
        fileName: 'whisper-large-v3-access-list.json',
        type: 'application/json',
        text: '[{"id":"r1"}]',
        attached: true,
      },
    ]);
    // the temporary link is gone and its object URL released
    expect(document.querySelector('a[download]')).toBeNull();
    expect(revoked).toEqual(['blob:test/0', 'blob:test/1']);
    expect(post).not.toHaveBeenCalled();
  });

  it('disables both buttons while an export runs', async () => {
    let finish: (text: string) => void = () => {};
    await renderButtons(
      () =>
        new Promise<string>(resolve => {
          finish = resolve;
        }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Export the access list as JSON' }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Export the access list as CSV' }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByRole('button', { name: 'Export the access list as JSON' }),
    ).toBeDisabled();
    finish('[]');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Export the access list as CSV' }),
      ).toBeEnabled(),
    );
    expect(downloads.map(d => d.fileName)).toEqual([
      'whisper-large-v3-access-list.json',
    ]);
  });

  it('reports a failed export with the reason and downloads nothing', async () => {
    const post = await renderButtons(async () => {
      throw new Error('Only approvers of the model may export its access list');
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Export the access list as CSV' }),
    );
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post).toHaveBeenCalledWith({
      message:
        'Could not export the access list: Only approvers of the model may export its access list',
      severity: 'error',
    });
    expect(downloads).toEqual([]);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Export the access list as CSV' }),
      ).toBeEnabled(),
    );
  });
});
