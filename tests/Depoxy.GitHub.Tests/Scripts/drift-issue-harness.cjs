// Runs .github/scripts/drift-issue.cjs as actions/github-script would, against an in-memory stand-in of the
// Octokit client (only the four issue calls the script makes), and prints the issues and calls as JSON. Issues it
// opens are authored by github-actions[bot], as GitHub does for a workflow's GITHUB_TOKEN.
// usage: node drift-issue-harness.cjs <drift-issue.cjs> <artifacts folder> <stage> <stack> <open issues JSON>
const [scriptPath, artifacts, stage, stack, issuesJson] = process.argv.slice(2);
const issues = JSON.parse(issuesJson);
const calls = [];
let nextNumber = 100;

const github = {
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    issues: {
      listForRepo: async (params) => {
        calls.push({ call: "listForRepo", params });
        return { data: issues.filter((i) => i.state === params.state) };
      },
      create: async (params) => {
        calls.push({ call: "create", params });
        const issue = { number: nextNumber++, state: "open", title: params.title, body: params.body, labels: params.labels, user: { login: "github-actions[bot]", type: "Bot" } };
        issues.push(issue);
        return { data: issue };
      },
      update: async (params) => {
        calls.push({ call: "update", params });
        const issue = issues.find((i) => i.number === params.issue_number);
        Object.assign(issue, Object.fromEntries(Object.entries(params).filter(([k]) => ["title", "body", "state"].includes(k))));
        return { data: issue };
      },
      createComment: async (params) => {
        calls.push({ call: "createComment", params });
        return { data: { id: 1 } };
      },
    },
  },
};
const context = { serverUrl: "https://github.com", runId: 77, repo: { owner: "depoxy", repo: "depoxy" } };
const log = [];
const core = { info: (m) => log.push(m), warning: (m) => log.push(m) };

require(scriptPath)({ github, context, core, stage, stack, artifacts })
  .then(() => process.stdout.write(JSON.stringify({ issues, calls, log })))
  .catch((error) => {
    process.stderr.write(error.message);
    process.exit(1);
  });
