import type {
  ModelAccessQuestion,
  ModelRequest,
} from '@aic/plugin-model-marketplace-common';

/** The fixed columns of the access list, before one column per question. */
const COLUMNS: Array<[string, (r: ModelRequest) => string | undefined]> = [
  ['id', r => r.id],
  ['status', r => r.status],
  ['model', r => r.model],
  ['version', r => r.version],
  ['team', r => r.team],
  ['requester', r => r.requester],
  ['purpose', r => r.purpose],
  ['createdAt', r => r.createdAt],
  ['decidedBy', r => r.decidedBy],
  ['decidedAt', r => r.decidedAt],
  ['decisionComment', r => r.decisionComment],
  ['revokedBy', r => r.revokedBy],
  ['revokedAt', r => r.revokedAt],
  ['revokeReason', r => r.revokeReason],
];

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line
 * break, with quotes doubled. A cell a spreadsheet would evaluate as a
 * formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a
 * leading `'`, so an answer cannot run in an approver's spreadsheet.
 */
export function csvCell(value: string | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The question ids to give a column: the model's current questions, then
 * ids answered in older requests that the model no longer asks.
 */
export function answerColumns(
  questions: readonly Pick<ModelAccessQuestion, 'id' | 'label'>[],
  requests: readonly ModelRequest[],
): Array<{ id: string; label: string }> {
  const columns = questions.map(q => ({ id: q.id, label: q.label }));
  const known = new Set(columns.map(c => c.id));
  for (const request of requests) {
    for (const id of Object.keys(request.answers ?? {})) {
      if (!known.has(id)) {
        known.add(id);
        columns.push({ id, label: id });
      }
    }
  }
  return columns;
}

/**
 * Writes the access list of a model as CSV: a header row, then one row per
 * request with its answers in `answer:<id>` columns. Lines end in CRLF.
 */
export function accessListCsv(
  questions: readonly Pick<ModelAccessQuestion, 'id' | 'label'>[],
  requests: readonly ModelRequest[],
): string {
  const answers = answerColumns(questions, requests);
  const header = [
    ...COLUMNS.map(([name]) => name),
    ...answers.map(a => `answer:${a.id}`),
  ];
  const rows = requests.map(request => [
    ...COLUMNS.map(([, read]) => read(request)),
    ...answers.map(a => request.answers?.[a.id]),
  ]);
  return [header, ...rows]
    .map(row => row.map(csvCell).join(','))
    .map(line => `${line}\r\n`)
    .join('');
}
