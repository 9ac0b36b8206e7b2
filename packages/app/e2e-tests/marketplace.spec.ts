import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { signInAs } from './signIn';

/*
 * The journey of the issue: a requester finds a model by search and a facet,
 * opens it and requests it for the team; an approver approves; the
 * requester deploys it with the deploy template into the team's namespace
 * on the sandbox and sees the deployment Ready on the model page.
 *
 * Users (examples/org.yaml): lena.hoffmann is in team-assistants; the model
 * is owned by ml-platform, whose member jonas.weber approves.
 */
const REQUESTER = 'lena.hoffmann';
const APPROVER = 'jonas.weber';
const TEAM = 'team-assistants';
const TEAM_TITLE = 'Assistants';
const NAMESPACE = 'team-assistants-dev';
const MODEL_TITLE = 'Llama 3.1 8B Instruct';
const MODEL_PATH = '/catalog/default/model/llama-3-1-8b-instruct';
// The questions and revoke steps (examples/models.yaml): Jina's reranker
// asks spec.access.questions; daniel.okafor (team-search) requests it and
// helen.park (ai-governance) approves and revokes.
const QUESTIONS_REQUESTER = 'daniel.okafor';
const QUESTIONS_APPROVER = 'helen.park';
const JINA_PATH = '/catalog/default/model/jina-reranker-v2-base-multilingual';
const JINA_RERANKER = 'Jina Reranker v2 Base Multilingual';
const BGE_RERANKER = 'BGE Reranker v2 M3';
const PURPOSE = `End-to-end test ${new Date().toISOString()}: support copilot`;

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
}

/**
 * With E2E_README_SHOTS=1, also writes docs/screenshots/<name> (the
 * README's): the viewport, or the top `height` pixels of the whole page.
 */
async function saveReadmeShot(page: Page, name: string, height?: number) {
  if (!process.env.E2E_README_SHOTS) {
    return;
  }
  const file = path.resolve(__dirname, '../../../docs/screenshots', name);
  if (height) {
    const width = page.viewportSize()?.width ?? 1440;
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: 0, width, height },
    });
  } else {
    await page.screenshot({ path: file });
  }
}

/**
 * The entity page's tabs are links in the header's list; on a Model the
 * Model tab is the first and the current one, the Overview a later one.
 */
async function expectModelTabFirst(page: Page) {
  const modelTab = page.getByRole('link', { name: 'Model', exact: true });
  await expect(modelTab).toHaveAttribute('aria-current', 'page');
  const tabs = page.locator('ul', { has: modelTab }).getByRole('link');
  await expect(tabs.first()).toHaveText('Model');
  await expect(tabs.filter({ hasText: /^Overview$/ })).toHaveAttribute(
    'href',
    /\/overview$/,
  );
}

test.describe.configure({ mode: 'serial' });

/**
 * The demo starts with an empty catalog and ingests examples/ in the
 * background; wait until the marketplace index holds every example model.
 */
test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  const backend = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
  const deadline = Date.now() + 200_000;
  let seen = 0;
  while (Date.now() < deadline) {
    const auth = await request.post(`${backend}/api/auth/devUser/refresh`, {
      headers: { 'x-aic-dev-user': REQUESTER },
      failOnStatusCode: false,
    });
    if (auth.ok()) {
      const token = (await auth.json()).backstageIdentity.token;
      const models = await request.get(
        `${backend}/api/model-marketplace/models?limit=1`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      seen = models.ok() ? (await models.json()).totalItems : 0;
      if (seen >= 18) {
        return;
      }
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`the demo catalog holds ${seen} of 18 example models`);
});

test('a requester finds a model and requests it for the team', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The demo lands on the marketplace, not on the generic catalog.
  await signInAs(page, REQUESTER, '/');
  await expect(page).toHaveURL(/\/models(\?|$)/);

  await page.getByLabel('Search models').fill('llama');
  await expect(page).toHaveURL(/q=llama/);
  await page.getByLabel('Type: llm').check();
  await expect(page).toHaveURL(/type=llm/);
  const card = page.getByRole('article', { name: MODEL_TITLE });
  await expect(card).toBeVisible();
  await shot(page, testInfo, '1-search-and-facet');

  // The URL reproduces the view.
  await page.reload();
  await expect(page.getByLabel('Type: llm')).toBeChecked();
  await expect(page.getByRole('article', { name: MODEL_TITLE })).toBeVisible();

  await card.getByRole('link', { name: MODEL_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`${MODEL_PATH}$`));
  // The model page opens on the Model tab, the first one; the generic
  // Overview is a later tab.
  await expectModelTabFirst(page);
  await expect(page.getByRole('table', { name: 'Versions' })).toBeVisible();
  // Without an approved request Deploy is not offered, and says why.
  await expect(
    page.getByRole('button', { name: 'Deploy', exact: true }),
  ).toBeDisabled();
  await expect(
    page.getByText(
      /Deploy is not available: None of your teams has an approved request/,
    ),
  ).toBeVisible();
  // The model card, read by the backend from examples/model-cards/.
  await expect(
    page.getByText(/8-billion-parameter instruction-tuned model/),
  ).toBeVisible();
  await shot(page, testInfo, '2-model-page');
  // the header with the Model tab first, and the full-width model card
  await expect(page.getByText('Model card', { exact: true })).toBeVisible();
  await saveReadmeShot(page, 'model-page.png', 1700);

  await page.getByRole('button', { name: /Request for my team/i }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Team').click();
  await page.getByRole('option', { name: TEAM, exact: true }).click();
  await dialog.getByLabel(/Purpose/).fill(PURPOSE);
  await shot(page, testInfo, '3-request-dialog');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog.getByText(/Request sent/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText(PURPOSE)).toBeVisible();
  await shot(page, testInfo, '4-requested');

  // My requests, filtered to Pending, lists the request just made.
  await page.goto('/models/requests');
  await page.getByRole('button', { name: /^Pending \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/status=pending/);
  await expect(
    page.getByRole('row').filter({ hasText: PURPOSE }),
  ).toBeVisible();
  await expect(
    page.getByText('You have not requested any model yet'),
  ).toHaveCount(0);
  await shot(page, testInfo, '4b-my-requests-pending');
  await context.close();
});

test('an approver approves the request', async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, APPROVER, '/models/approvals');

  const row = page.getByRole('row').filter({ hasText: PURPOSE });
  await expect(row).toBeVisible();
  await shot(page, testInfo, '5-approvals');
  await row.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/Comment/).fill('Approved by the e2e test');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'All' }).click();
  await expect(
    page.getByRole('row').filter({ hasText: PURPOSE }).getByText('approved'),
  ).toBeVisible();
  await shot(page, testInfo, '6-approved');
  await context.close();
});

test('the requester reads the decision in a notification, with names', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, REQUESTER, '/notifications');

  const notification = page
    .getByText(`Your request for ${MODEL_TITLE}`)
    .first();
  await expect(notification).toBeVisible();
  // display names and titles, not entity refs
  await expect(
    page.getByText(/Jonas Weber approved the request of Assistants/).first(),
  ).toBeVisible();
  await expect(page.getByText(/(user|group|model):default\//)).toHaveCount(0);
  await shot(page, testInfo, '6b-notification');

  // its link opens the request it names
  await notification.click();
  await expect(page).toHaveURL(/\/models\/requests\?request=/);
  const opened = page.locator('tr[aria-current="true"]');
  await expect(opened).toContainText(PURPOSE);
  await expect(page.getByRole('list', { name: 'Timeline' })).toBeVisible();
  await shot(page, testInfo, '6c-notification-opens-request');
  await context.close();
});

test('the requester deploys the model and sees it Ready', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, REQUESTER, MODEL_PATH);

  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/deploy-model/);
  // Step 1: the model comes from the link; the version is preselected.
  await expect(page.getByLabel('Version')).toContainText('1.0.0');
  await shot(page, testInfo, '7-template-model');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: team and one of its namespaces.
  // The team picker lists the requester's teams that may deploy the model
  // (the approved request's team); with one such team it is chosen already.
  await expect(page.getByLabel('Team')).toContainText(TEAM_TITLE);
  await page.getByLabel('Namespace').click();
  await page
    .getByRole('option', { name: new RegExp(`^${NAMESPACE} `) })
    .click();
  await shot(page, testInfo, '8-template-where');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText(/Deployed to/)).toBeVisible({ timeout: 180_000 });
  await shot(page, testInfo, '9-task-done');

  await page.goto(MODEL_PATH);
  const deployment = page
    .getByRole('table', { name: 'Deployments' })
    .getByRole('row')
    .filter({ hasText: `sandbox/${NAMESPACE}` });
  await expect(deployment.getByText(/Ready/)).toBeVisible({ timeout: 120_000 });
  await shot(page, testInfo, '10-deployment-ready');

  // The row's endpoint, and an example call for its protocol (vLLM:
  // OpenAI-compatible curl) naming that endpoint.
  const endpoint = (
    await deployment
      .getByText(/^https?:\/\//)
      .first()
      .textContent()
  )?.trim();
  expect(endpoint).toBeTruthy();
  await deployment.getByRole('button', { name: 'Example call' }).click();
  const call = page.getByLabel('Example call', { exact: true });
  await expect(call).toContainText('curl');
  await expect(call).toContainText(endpoint!);
  await expect(call).toContainText('/chat/completions');
  await call.scrollIntoViewIfNeeded();
  await shot(page, testInfo, '10b-endpoint-example-call');
  await saveReadmeShot(page, 'deployment-example-call.png');
  await context.close();
});

test('Compare ranks a lower latency as the best', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, REQUESTER, '/models?q=reranker');
  // BGE's default version: p95 81 ms; Jina's: 39 ms (examples/models.yaml,
  // spec.evaluation declares p95 latency as lower-is-better, in ms).
  await page.getByLabel(`Compare ${BGE_RERANKER}`).check();
  await page.getByLabel(`Compare ${JINA_RERANKER}`).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page).toHaveURL(/\/models\/compare\?models=/);

  const latency = page
    .getByRole('table', { name: 'Model comparison' })
    .getByRole('row')
    .filter({ hasText: 'Metric: p95 latency' });
  await expect(latency).toContainText('lower is better');
  const cells = latency.getByRole('cell');
  await expect(cells.filter({ hasText: '39 ms' })).toContainText('best');
  await expect(cells.filter({ hasText: '81 ms' })).not.toContainText('best');
  await latency.scrollIntoViewIfNeeded();
  await shot(page, testInfo, '12-compare');
  await saveReadmeShot(page, 'compare-lower-latency-best.png');
  await context.close();
});

test('a request answers the owner’s questions; a revoked access blocks Deploy', async ({
  browser,
}, testInfo) => {
  const purpose = `E2E questions ${new Date().toISOString()}`;
  const reason = 'Licence audit failed (e2e)';
  const requester = await browser.newContext();
  const page = await requester.newPage();
  await signInAs(page, QUESTIONS_REQUESTER, JINA_PATH);
  await expectModelTabFirst(page);

  await page.getByRole('button', { name: /Request for my team/i }).click();
  const dialog = page.getByRole('dialog');
  // team-search is the requester's only team: chosen already
  await expect(dialog.getByRole('button', { name: 'Team' })).toContainText(
    'team-search',
  );
  await dialog
    .getByLabel('What will you evaluate the model on?')
    .fill('nDCG@10 on the golden product queries');
  await dialog.getByRole('button', { name: 'Where will it run?' }).click();
  await page.getByRole('option', { name: 'offline evaluation' }).click();
  await dialog.getByLabel(/I accept the CC BY-NC 4.0 licence/).check();
  await dialog.getByLabel(/Purpose/).fill(purpose);
  await shot(page, testInfo, '13-request-questions');
  await saveReadmeShot(page, 'request-dialog-questions.png');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog.getByText(/Request sent/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The approver sees the answers with the request, approves, then revokes.
  const approver = await browser.newContext();
  const review = await approver.newPage();
  await signInAs(review, QUESTIONS_APPROVER, '/models/approvals');
  const row = review.getByRole('row').filter({ hasText: purpose });
  await row.getByRole('button', { name: 'Show timeline' }).click();
  const answers = review.getByRole('definition').filter({
    hasText: 'nDCG@10 on the golden product queries',
  });
  await expect(answers).toBeVisible();
  await expect(review.getByText('offline evaluation').first()).toBeVisible();
  await row.getByRole('button', { name: 'Approve' }).click();
  const decision = review.getByRole('dialog');
  await decision.getByRole('button', { name: 'Approve' }).click();
  await expect(decision).toBeHidden();

  // approved: the requester may deploy
  await page.reload();
  await expect(
    page.getByRole('button', { name: 'Deploy', exact: true }),
  ).toHaveAttribute('href', /deploy-model/);

  await review.getByRole('button', { name: /^All/ }).click();
  const granted = review.getByRole('row').filter({ hasText: purpose });
  await granted.getByRole('button', { name: 'Revoke' }).click();
  const revoke = review.getByRole('dialog');
  await revoke.getByLabel(/Reason/).fill(reason);
  await revoke.getByRole('button', { name: 'Revoke' }).click();
  await expect(revoke).toBeHidden();
  await expect(
    review.getByRole('row').filter({ hasText: purpose }).getByText('revoked'),
  ).toBeVisible();
  await shot(review, testInfo, '14-revoked');

  // Revoked: Deploy is no longer offered, and the reason says so.
  await page.reload();
  await expect(
    page.getByRole('button', { name: 'Deploy', exact: true }),
  ).toBeDisabled();
  await expect(
    page.getByText(
      `Deploy is not available: The access of team-search was revoked by helen.park: ${reason}`,
    ),
  ).toBeVisible();
  await shot(page, testInfo, '15-deploy-refused-revoked');
  await requester.close();
  await approver.close();
});

/*
 * On the real control plane (AIC_KUBE=testenv, as .ci/run runs it) the
 * deployment has real ReplicaSets and pods, made by controller-manager,
 * bound by kube-scheduler and run by kwok; Backstage's own Kubernetes tab
 * must list them without an error. The sandbox has no pods, so this step
 * needs the real control plane.
 */
test('the Kubernetes tab lists the real Deployment and its Running pods', async ({
  browser,
}, testInfo) => {
  test.skip(
    process.env.AIC_KUBE !== 'testenv',
    'needs the real control plane: AIC_KUBE=testenv',
  );
  const deploymentName = 'llama-3-1-8b-instruct-1-0-0';
  const kubeconfig = path.resolve(__dirname, '../../../.sandbox/kubeconfig');
  const { stdout } = await promisify(execFile)('kubectl', [
    '--kubeconfig',
    kubeconfig,
    '--context',
    'admin',
    'get',
    'pods',
    '--all-namespaces',
    '-l',
    'aic.dev/model=llama-3-1-8b-instruct',
    '-o',
    'json',
  ]);
  const pods = JSON.parse(stdout).items;
  // the pod of the deployment this journey made, in the team's namespace
  expect(
    pods.filter((p: any) => p.metadata.namespace === NAMESPACE).length,
  ).toBeGreaterThanOrEqual(1);
  for (const pod of pods) expect(pod.status.phase).toBe('Running');

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, REQUESTER, MODEL_PATH);
  await page.getByText('Kubernetes', { exact: true }).first().click();
  await expect(page).toHaveURL(/\/kubernetes/);
  // the cluster summary: the real pods, none failing
  await expect(
    page.getByText(new RegExp(`^${pods.length} pods?$`)).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('No pods with errors')).toBeVisible();
  await expect(
    page.getByText(
      /Error communicating with Kubernetes|There was a problem retrieving/i,
    ),
  ).toHaveCount(0);
  // expanded: the Deployment by name
  await page.getByText('sandbox', { exact: true }).first().click();
  await expect(page.getByText(deploymentName).first()).toBeVisible();
  await shot(page, testInfo, '11-kubernetes-tab');
  await page.screenshot({
    path: path.resolve(
      __dirname,
      '../../../docs/screenshots/kubernetes-tab-real-cluster.png',
    ),
    fullPage: true,
  });
  await context.close();
});
