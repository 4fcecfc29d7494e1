#!/usr/bin/env node
/**
 * Regenerates docs/config-reference.md (from the parameter declarations) and
 * docs/cli-reference.md (from the command definitions); run through
 * `npm run docs:config`, which compiles first. test/unit/config/config-reference.test.ts
 * fails when the committed config reference differs from what this writes, and
 * test/unit/cli/cli-reference.test.ts when the CLI reference lacks a command.
 */
const path = require('path');
const dist = path.join(__dirname, '..', 'dist', 'src');
const { renderMarkdownReference } = require(path.join(dist, 'report', 'param-reference'));
const { declaredParamDocuments } = require(path.join(dist, 'cli', 'declared-params'));
const { renderCliReference } = require(path.join(dist, 'cli', 'cli-reference'));
const { writeFileAtomic } = require(path.join(dist, 'store', 'atomic-write'));

async function main() {
  const docs = path.join(__dirname, '..', 'docs');
  const config = path.join(docs, 'config-reference.md');
  writeFileAtomic(config, renderMarkdownReference(declaredParamDocuments()));
  const cli = path.join(docs, 'cli-reference.md');
  writeFileAtomic(cli, `${await renderCliReference()}`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), config)} and ${path.relative(process.cwd(), cli)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
