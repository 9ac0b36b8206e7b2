import { render, screen } from '@testing-library/react';
import { AccessPolicyChip } from './AccessPolicyChip';

describe('AccessPolicyChip', () => {
  it.each([
    ['open', 'Open', 'Requests are approved automatically'],
    ['approval', 'Approval', 'An approver reviews every request'],
    [
      'restricted',
      'Restricted',
      'Only the allowed groups may request it, and an approver reviews it',
    ],
    // a policy this frontend does not know yet shows as it is named
    ['committee', 'committee', 'Access policy'],
  ])('labels the %s policy', (policy, label, help) => {
    render(<AccessPolicyChip policy={policy} />);
    const chip = screen.getByText(label).closest('[title]');
    expect(chip).toHaveAttribute('title', help);
  });
});
