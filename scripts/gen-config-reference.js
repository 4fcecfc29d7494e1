#!/usr/bin/env node
/**
 * Regenerates docs/config-reference.md from the parameter declarations (run through
 * `npm run docs:config`, which compiles first). test/unit/config/config-reference.test.ts
 * fails when the committed file differs from what this writes.
 */
const path = require('path');
const dist = path.join(__dirname, '..', 'dist', 'src');
const { renderMarkdownReference } = require(path.join(dist, 'report', 'param-reference'));
const { declaredParamDocuments } = require(path.join(dist, 'cli', 'declared-params'));
const { writeFileAtomic } = require(path.join(dist, 'report', 'atomic-write'));

const file = path.join(__dirname, '..', 'docs', 'config-reference.md');
writeFileAtomic(file, renderMarkdownReference(declaredParamDocuments()));
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
