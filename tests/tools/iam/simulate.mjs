// Simulates a batch of IAM requests offline with @cloud-copilot/iam-simulate, in one process so a few hundred
// requests take about a second. Input on stdin:
//   { "requests": [ { "id", "principal", "action", "resource", "accountId", "context": { key: value | [values] },
//                     "identityPolicies": [ { "name", "policy" } ], "permissionBoundaries": [ { "name", "policy" } ],
//                     "resourcePolicy": { ... } | null } ] }
// Output on stdout, one verdict per request in the same order:
//   [ { "id", "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error", "reasons": [ "..." ] } ]
// Reasons name the deciding statements: the grants of an allowed request, the denials of a refused one.
import { runSimulation, runUnsafeSimulation, getDenialReasons, getGrantReasons } from '@cloud-copilot/iam-simulate';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { requests } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const describe = (reason) =>
  [reason.policyType, reason.policyIdentifier ?? reason.identifier, reason.statementId ?? (reason.statementIndex ? `#${reason.statementIndex}` : undefined), reason.denialType]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');

const verdicts = [];
for (const request of requests) {
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context ?? {},
    },
    identityPolicies: request.identityPolicies ?? [],
    permissionBoundaryPolicies: request.permissionBoundaries?.length ? request.permissionBoundaries : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy ?? undefined,
  };
  const response = await runSimulation(simulation, {});
  // iam-data lists the HTTP API (v2) resource types of apigateway:GET/POST/PATCH/DELETE incompletely (no Api, no
  // Route), so the validating run refuses those ARNs; the same engine evaluates them without the validation, and
  // the verdict says so. Any other validation error stays an error.
  if (response.resultType === 'error' && response.errors?.message === 'no.resource.types' && request.action.startsWith('apigateway:')) {
    const result = runUnsafeSimulation(simulation, {});
    verdicts.push({ id: request.id, result, reasons: ['unvalidated: iam-data has no resource type for this HTTP API ARN'] });
    continue;
  }
  if (response.resultType === 'error') {
    verdicts.push({ id: request.id, result: 'Error', reasons: [JSON.stringify(response.errors)] });
    continue;
  }
  const analyses = response.resultType === 'single' ? [response.result.analysis] : response.results.map((r) => r.analysis);
  const reasons = analyses.filter(Boolean).flatMap((analysis) =>
    (response.overallResult === 'Allowed' ? getGrantReasons(analysis) : getDenialReasons(analysis)).map(describe));
  verdicts.push({ id: request.id, result: response.overallResult, reasons });
}
process.stdout.write(JSON.stringify(verdicts));
