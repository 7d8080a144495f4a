'use strict';

// The package as npm ships it: its file list, its metadata, and declarations that match the code.

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const test = require('node:test');
const assert = require('node:assert/strict');
const pkg = require('../package.json');

const ROOT = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack ships the library, its declarations, the CLI and the README, and no tests', () => {
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--offline', '--ignore-scripts'],
    { cwd: ROOT, encoding: 'utf8' }));
  const files = packed.files.map((file) => file.path).sort();
  for (const expected of ['index.js', 'index.d.ts', 'bin/switchboard.js', 'README.md', 'LICENSE', 'package.json',
    'lib/cloud.js', 'lib/connection.js', 'lib/webhook.js', 'lib/store.js', 'lib/listen.js', 'lib/forward.js']) {
    assert.ok(files.includes(expected), `${expected} is packed (got ${files.join(', ')})`);
  }
  assert.deepEqual(files.filter((file) => /(^|\/)test\/|node_modules|\.tgz$|\.switchboard/.test(file)), []);
  assert.equal(packed.name, '@switchboard/homey-cloud');
  assert.equal(packed.version, '0.1.0');
});

test('package.json: license, engines, one runtime dependency, the bin', () => {
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.engines.node, '>=20');
  assert.deepEqual(Object.keys(pkg.dependencies), ['ws']);
  assert.equal(pkg.main, 'index.js');
  assert.equal(pkg.types, 'index.d.ts');
  assert.deepEqual(pkg.bin, { switchboard: 'bin/switchboard.js' });
});

test('index.d.ts type-checks against a usage file, and declares what index.js exports', () => {
  // The compiler API, not the tsc CLI: only our two files are checked (not all of @types/node), which keeps this
  // quick, while errors inside index.d.ts itself still count (skipLibCheck would hide them).
  const ts = require('typescript');
  const config = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, 'types', 'tsconfig.json'), {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)) });
  const program = ts.createProgram(config.fileNames, config.options);
  const ours = program.getSourceFiles().filter((file) => !file.fileName.includes('node_modules'));
  assert.deepEqual(ours.map((file) => path.basename(file.fileName)).sort(), ['index.d.ts', 'usage.ts']);
  const diagnostics = ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]);
  assert.equal(diagnostics.length, 0, ts.formatDiagnostics(diagnostics,
    { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));

  const indexDts = ours.find((file) => file.fileName.endsWith('index.d.ts'));
  const declaredClasses = indexDts.statements.filter(ts.isClassDeclaration).map((node) => node.name.text).sort();
  assert.deepEqual(declaredClasses, Object.keys(require('..')).sort());
});
