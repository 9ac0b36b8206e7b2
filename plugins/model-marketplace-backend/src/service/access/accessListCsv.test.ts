import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import { accessListCsv, answerColumns, csvCell } from './accessListCsv';

const request = (over: Partial<ModelRequest>): ModelRequest => ({
  id: 'r1',
  model: 'model:default/m',
  team: 'group:default/team-search',
  purpose: 'Evaluate',
  status: 'approved',
  requester: 'user:default/daniel',
  accessPolicy: 'approval',
  approvers: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    [true, 'true'],
    [undefined, ''],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('accessListCsv', () => {
  it('writes a header, one CRLF row per request and a column per question, old answers last', () => {
    const requests = [
      request({
        answers: { useCase: 'Search, "offline"', accept: true, legacy: 'x' },
        decidedBy: 'user:default/helen',
      }),
      request({ id: 'r2', status: 'revoked', revokeReason: 'audit\nfailed' }),
    ];
    const questions = [
      { id: 'useCase', label: 'Use case' },
      { id: 'accept', label: 'Accept' },
    ];
    expect(answerColumns(questions, requests).map(c => c.id)).toEqual([
      'useCase',
      'accept',
      'legacy',
    ]);
    const csv = accessListCsv(questions, requests);
    expect(csv.split('\r\n')).toEqual([
      'id,status,model,version,team,requester,purpose,createdAt,decidedBy,decidedAt,decisionComment,revokedBy,revokedAt,revokeReason,answer:useCase,answer:accept,answer:legacy',
      'r1,approved,model:default/m,,group:default/team-search,user:default/daniel,Evaluate,2026-01-01T00:00:00.000Z,user:default/helen,,,,,,"Search, ""offline""",true,x',
      'r2,revoked,model:default/m,,group:default/team-search,user:default/daniel,Evaluate,2026-01-01T00:00:00.000Z,,,,,,"audit\nfailed",,,',
      '',
    ]);
  });

  it('writes only the header for an empty list', () => {
    expect(accessListCsv([], [])).toBe(
      'id,status,model,version,team,requester,purpose,createdAt,decidedBy,decidedAt,decisionComment,revokedBy,revokedAt,revokeReason\r\n',
    );
  });
});
