// Keeps one GitHub issue per drifted stage and stack, found by a hidden marker in its body and by its author, the
// workflow's own bot: opened on the first drift, its body refreshed while the drift lasts, closed once a plan shows no
// changes. An issue someone else opened with the marker in it is neither edited nor closed. Called from drift.yml
// through actions/github-script, which passes its authenticated Octokit client and run context.
const fs = require("node:fs");
const path = require("node:path");

// GitHub refuses issue bodies over 65,536 characters; keep the plan's head and tail and say what was cut.
const maxPlanLength = 60000;

// The login of issues a workflow opens with its GITHUB_TOKEN.
const botLogin = "github-actions[bot]";

function truncate(text, runUrl) {
  if (text.length <= maxPlanLength) return text;
  const half = Math.floor(maxPlanLength / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n\n… ${omitted} characters omitted; the full plan is in the job summary of ${runUrl} …\n\n${text.slice(-half)}`;
}

function readSummary(file) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: ./build.sh Plan writes it, run that step first`);
  const summary = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof summary.has_changes !== "boolean") throw new Error(`${file} has no boolean has_changes`);
  return summary;
}

module.exports = async function syncDriftIssue({ github, context, core, stage, stack, artifacts = "artifacts" }) {
  const marker = `<!-- depoxy-drift:${stage}:${stack} -->`;
  const summary = readSummary(path.join(artifacts, `plan-${stage}-${stack}.json`));
  const planFile = path.join(artifacts, `plan-${stage}-${stack}.md`);
  const plan = fs.existsSync(planFile) ? fs.readFileSync(planFile, "utf8") : "(no plan text was written)";
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const { owner, repo } = context.repo;

  const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: "open", per_page: 100 });
  const existing = open.find((issue) => !issue.pull_request && issue.user?.login === botLogin && (issue.body ?? "").includes(marker));

  if (!summary.has_changes) {
    if (existing) {
      await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: `No drift any more as of ${runUrl}.` });
      await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: "closed", state_reason: "completed" });
      core.info(`${stage}/${stack}: drift gone, closed #${existing.number}`);
    } else {
      core.info(`${stage}/${stack}: no drift`);
    }
    return;
  }

  const title = `Drift in ${stage}/${stack}`;
  const body = `${marker}\n## ${title}\n\nThe weekly plan found changes that are not in the code ([run](${runUrl})).\n\n${truncate(plan, runUrl)}`;
  if (existing) {
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
    core.warning(`${stage}/${stack}: still drifted, updated #${existing.number}`);
  } else {
    const { data } = await github.rest.issues.create({ owner, repo, title, body, labels: ["drift"] });
    core.warning(`${stage}/${stack}: drift found, opened #${data.number}`);
  }
};
