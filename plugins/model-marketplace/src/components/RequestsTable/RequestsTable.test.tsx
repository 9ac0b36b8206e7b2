import { screen, waitFor, within } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi, modelRequest } from '../../testing';
import { dialogOf, setupUser } from '../../__testUtils__/setupUser';
import { RequestsTable } from './RequestsTable';

// The dialog tests (open, fill in, confirm) took 4.4-6.3 s each at a load of
// 18-24 on 2 cores after the fixes (pointer-events check off: a click on a
// dialog field 1.4 s -> 66 ms; text instead of role queries: 0.5-1.5 s ->
// 1 ms), against 6.4-7.2 s before. What remains is MUI's Modal and
// TextareaAutosize calling jsdom's getComputedStyle on each update, which
// walks every JSS rule in the document; so the file keeps its bound. At a
// load of 28-36 'approves with a comment' still took over 30 s in two runs of
// 2026-12-01, so the bound is 90 s.
jest.setTimeout(90_000);

let user: ReturnType<typeof setupUser>;
beforeEach(() => {
  user = setupUser();
});

/**
 * Focuses a field and pastes the text: one input event instead of a
 * re-render per keystroke.
 */
async function fillIn(element: HTMLElement, text: string) {
  await user.click(element);
  await user.paste(text);
}

const alertApi = { post: jest.fn(), alert$: jest.fn() };

async function renderTable(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  props: Parameters<typeof RequestsTable>[0],
  userEntityRef = 'user:default/jonas.weber',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [alertApiRef, alertApi],
        [identityApiRef, mockApis.identity({ userEntityRef })],
      ]}
    >
      <RequestsTable {...props} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

async function conflict() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'already decided' },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

describe('RequestsTable', () => {
  beforeEach(() => alertApi.post.mockReset());

  it('lists requests with status chips and asks for the role', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          modelRequest('r1'),
          modelRequest('r2', {
            status: 'approved',
            team: 'group:default/team-search',
          }),
        ],
        totalItems: 2,
      }),
    });
    await renderTable(api, { role: 'requester' });

    const row1 = await screen.findByTestId('request-r1');
    expect(within(row1).getByText('pending')).toBeInTheDocument();
    expect(within(row1).getByText('team-assistants')).toBeInTheDocument();
    expect(
      within(row1).getByRole('link', { name: 'llama-3-1-8b-instruct' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('request-r2')).getByText('approved'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'requester',
      model: undefined,
      status: undefined,
    });
    // Requesters cannot decide.
    expect(screen.queryByText('Approve')).toBeNull();
  });

  it('approves with a comment', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [modelRequest('r1')], totalItems: 1 })
        .mockResolvedValue({
          items: [modelRequest('r1', { status: 'approved' })],
          totalItems: 1,
        }),
      decideRequest: jest
        .fn()
        .mockResolvedValue(modelRequest('r1', { status: 'approved' })),
    });
    await renderTable(api, { role: 'approver', status: ['pending'] });

    await user.click((await screen.findByText('Approve')).closest('button')!);
    const dialog = dialogOf(await screen.findByText('Approve request'));
    await fillIn(
      within(dialog).getByLabelText(/Comment/),
      'Fine for internal use',
    );
    await user.click(within(dialog).getByText('Approve').closest('button')!);

    await waitFor(() =>
      expect(api.decideRequest).toHaveBeenCalledWith('r1', {
        decision: 'approve',
        comment: 'Fine for internal use',
      }),
    );
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'approver',
      model: undefined,
      status: ['pending'],
    });
    await waitFor(() => expect(api.listRequests).toHaveBeenCalledTimes(2));
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Request approved' }),
    );
  });

  it('needs a reason to reject, then rejects', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [modelRequest('r1')], totalItems: 1 }),
      decideRequest: jest
        .fn()
        .mockResolvedValue(modelRequest('r1', { status: 'rejected' })),
    });
    await renderTable(api, { role: 'approver' });

    await user.click((await screen.findByText('Reject')).closest('button')!);
    const dialog = dialogOf(await screen.findByText('Reject request'));
    await user.click(within(dialog).getByText('Reject').closest('button')!);
    expect(
      within(dialog).getByText(
        'Tell the requester why the request is rejected',
      ),
    ).toBeInTheDocument();
    expect(api.decideRequest).not.toHaveBeenCalled();

    await fillIn(within(dialog).getByLabelText(/Reason/), 'Use the 8B model');
    await user.click(within(dialog).getByText('Reject').closest('button')!);
    await waitFor(() =>
      expect(api.decideRequest).toHaveBeenCalledWith('r1', {
        decision: 'reject',
        comment: 'Use the 8B model',
      }),
    );
  });

  it('tells the approver when someone else decided first', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [modelRequest('r1')], totalItems: 1 }),
      decideRequest: jest.fn().mockRejectedValue(await conflict()),
    });
    await renderTable(api, { role: 'approver' });
    await user.click((await screen.findByText('Approve')).closest('button')!);
    await user.click(
      within(dialogOf(await screen.findByText('Approve request')))
        .getByText('Approve')
        .closest('button')!,
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({ severity: 'warning' }),
      ),
    );
  });

  it("offers no decision on the approver's own request", async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          modelRequest('mine', { requester: 'user:default/jonas.weber' }),
          modelRequest('theirs'),
        ],
        totalItems: 2,
      }),
    });
    await renderTable(api, { role: 'approver' }, 'user:default/jonas.weber');
    const theirs = await screen.findByTestId('request-theirs');
    expect(
      (await within(theirs).findByText('Approve')).closest('button'),
    ).toBeInTheDocument();
    const mine = screen.getByTestId('request-mine');
    expect(within(mine).queryByText('Approve')).toBeNull();
    expect(within(mine).queryByText('Reject')).toBeNull();
    expect(
      within(mine).getByText('Your request: another approver decides it'),
    ).toBeInTheDocument();
  });

  it('lets a requester cancel a pending request', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [modelRequest('r1')], totalItems: 1 }),
      cancelRequest: jest
        .fn()
        .mockResolvedValue(modelRequest('r1', { status: 'cancelled' })),
    });
    await renderTable(api, { role: 'requester' });
    await user.click(
      (await screen.findByText('Cancel request')).closest('button')!,
    );
    expect(api.cancelRequest).toHaveBeenCalledWith('r1');
  });

  it('shows the timeline of a request', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [modelRequest('r1', { status: 'approved' })],
        totalItems: 1,
      }),
      getRequest: jest.fn().mockResolvedValue({
        ...modelRequest('r1', { status: 'approved' }),
        timeline: [
          {
            action: 'created',
            toStatus: 'pending',
            actor: 'user:default/mia.schmidt',
            at: '2026-11-20T10:00:00Z',
          },
          {
            action: 'approved',
            fromStatus: 'pending',
            toStatus: 'approved',
            actor: 'user:default/jonas.weber',
            at: '2026-11-21T09:00:00Z',
            comment: 'Go ahead',
          },
        ],
      }),
    });
    await renderTable(api, { role: 'requester' });
    await user.click(await screen.findByLabelText('Show timeline'));
    const timeline = await screen.findByLabelText('Timeline');
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(2);
    expect(within(timeline).getByText(/jonas.weber/)).toBeInTheDocument();
    expect(within(timeline).getByText('“Go ahead”')).toBeInTheDocument();
  });

  it('lets an approver revoke an approved access with a reason', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [
          modelRequest('ok', { status: 'approved' }),
          modelRequest('run', { status: 'deployed' }),
          modelRequest('mine', {
            status: 'approved',
            requester: 'user:default/jonas.weber',
          }),
          modelRequest('wait'),
        ],
        totalItems: 4,
      }),
      revokeRequest: jest
        .fn()
        .mockResolvedValue(modelRequest('ok', { status: 'revoked' })),
    });
    await renderTable(api, { role: 'approver' });
    const ok = await screen.findByTestId('request-ok');
    // approved and deployed ones, not the approver's own, not pending ones
    expect(within(ok).getByText('Revoke')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('request-run')).getByText('Revoke'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('request-mine')).queryByText('Revoke'),
    ).toBeNull();
    expect(
      within(screen.getByTestId('request-wait')).queryByText('Revoke'),
    ).toBeNull();

    await user.click(within(ok).getByText('Revoke').closest('button')!);
    const dialog = dialogOf(await screen.findByText('Revoke access'));
    const confirm = within(dialog).getByText('Revoke').closest('button')!;
    await user.click(confirm);
    expect(
      within(dialog).getByText('Tell the team why the access is revoked'),
    ).toBeInTheDocument();
    expect(api.revokeRequest).not.toHaveBeenCalled();

    await fillIn(within(dialog).getByLabelText(/Reason/), 'Licence audit');
    await user.click(confirm);
    await waitFor(() =>
      expect(api.revokeRequest).toHaveBeenCalledWith('ok', {
        reason: 'Licence audit',
      }),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Access revoked; the team is notified',
      }),
    );
  });

  it('adds the revocation to an open timeline as its own entry', async () => {
    const created = {
      action: 'created' as const,
      toStatus: 'pending' as const,
      actor: 'user:default/mia.schmidt',
      at: '2026-11-20T10:00:00Z',
    };
    const approved = {
      action: 'approved' as const,
      fromStatus: 'pending' as const,
      toStatus: 'approved' as const,
      actor: 'user:default/helen.park',
      at: '2026-11-21T09:00:00Z',
    };
    const revokedEntry = {
      action: 'revoked' as const,
      fromStatus: 'approved' as const,
      toStatus: 'revoked' as const,
      actor: 'user:default/jonas.weber',
      at: '2026-11-22T09:00:00Z',
      comment: 'Licence audit',
    };
    const before = modelRequest('ok', { status: 'approved' });
    const after = modelRequest('ok', {
      status: 'revoked',
      updatedAt: revokedEntry.at,
      revokedBy: revokedEntry.actor,
      revokedAt: revokedEntry.at,
      revokeReason: 'Licence audit',
    });
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValueOnce({ items: [before], totalItems: 1 })
        .mockResolvedValue({ items: [after], totalItems: 1 }),
      getRequest: jest
        .fn()
        .mockResolvedValueOnce({ ...before, timeline: [created, approved] })
        .mockResolvedValue({
          ...after,
          timeline: [created, approved, revokedEntry],
        }),
      revokeRequest: jest.fn().mockResolvedValue(after),
    });
    await renderTable(api, { role: 'approver' });
    await user.click(await screen.findByLabelText('Show timeline'));
    const timeline = await screen.findByLabelText('Timeline');
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(2);

    await user.click(
      within(screen.getByTestId('request-ok'))
        .getByText('Revoke')
        .closest('button')!,
    );
    const dialog = dialogOf(await screen.findByText('Revoke access'));
    await fillIn(within(dialog).getByLabelText(/Reason/), 'Licence audit');
    await user.click(within(dialog).getByText('Revoke').closest('button')!);

    // The open timeline is read again and ends with the revocation.
    await waitFor(() =>
      expect(
        within(screen.getByLabelText('Timeline')).getAllByRole('listitem'),
      ).toHaveLength(3),
    );
    const last = within(screen.getByLabelText('Timeline'))
      .getAllByRole('listitem')
      .at(-1)!;
    expect(last.textContent).toMatch(/^revoked by jonas\.weber/);
    expect(within(last).getByText('“Licence audit”')).toBeInTheDocument();
    expect(
      within(last).getByText(new Date(revokedEntry.at).toLocaleString()),
    ).toBeInTheDocument();
    expect(api.getRequest).toHaveBeenCalledTimes(2);
  });

  it('shows the answers and the revocation of a request', async () => {
    const revoked = modelRequest('r1', {
      status: 'revoked',
      answers: { useCase: 'Offline nDCG', acceptLicence: true },
      revokedBy: 'user:default/helen.park',
      revokedAt: '2026-11-22T09:00:00Z',
      revokeReason: 'Licence audit failed',
    });
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: [revoked], totalItems: 1 }),
      getRequest: jest.fn().mockResolvedValue({ ...revoked, timeline: [] }),
    });
    await renderTable(api, { role: 'requester' });
    await user.click(await screen.findByLabelText('Show timeline'));
    const answers = await screen.findByLabelText('Answers');
    expect(within(answers).getByText('Offline nDCG')).toBeInTheDocument();
    expect(within(answers).getByText('yes')).toBeInTheDocument();
    expect(screen.getByText(/Access revoked by/).textContent).toContain(
      '“Licence audit failed”',
    );
  });

  it('shows an error when the requests cannot be loaded', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    await renderTable(api, { role: 'approver' });
    expect((await screen.findAllByText(/backend down/))[0]).toBeInTheDocument();
  });
});
