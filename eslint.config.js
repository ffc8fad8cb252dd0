// Lint rules: the recommended sets, the type-aware rules that catch a promise
// nobody waits for, a few that keep hot paths honest, and the layers of src/
// (data flows one way and imports follow it; see "Layers" below).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers. The stages, in the order data flows through them:
//   sources -> parse -> enrich -> alerts, dashboard -> sinks
// Stages meet only through pipeline/ (event, batch, source, stage); pipeline/,
// net/, topic/ (the Kafka topic's record shapes and header contract, shared by the
// agent's output and the writer's input) and support/ are bases every stage may use; cli/ (and server/, which serves what
// cli/ binds to it) wire the stages together. config/ imports no stage.
const STAGES = ['sources', 'parse', 'enrich', 'alerts', 'dashboard', 'sinks'];
const WIRING = ['cli', 'server'];

/** An import of `layer` from anywhere under src/ ('../sinks/x.js', '../../sinks/x.js'). */
const importOf = (layer, why) => ({
  regex: `^(\\.\\./)+${layer}(/|$)`,
  message: `${why} (the layers are drawn in eslint.config.js)`,
});

/** `files` may not import any of `layers`. */
const layer = (files, layers, why) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: layers.map((l) => importOf(l, why)) }],
  },
});

const without = (list, ...names) => list.filter((l) => !names.includes(l));

const layers = [
  layer(
    ['src/pipeline/**/*.ts'],
    [...STAGES, ...WIRING, 'config', 'metrics', 'net', 'topic'],
    'pipeline/ is generic: it knows no source, format, stage or output',
  ),
  layer(
    ['src/net/**/*.ts'],
    [...STAGES, ...WIRING, 'config', 'metrics', 'pipeline'],
    'net/ is a base: IP and CIDR text, nothing of the stages',
  ),
  layer(
    ['src/topic/**/*.ts'],
    [...STAGES, ...WIRING, 'config', 'metrics', 'pipeline', 'net'],
    'topic/ is a base: what a record on the topic is, nothing of the stages',
  ),
  layer(
    ['src/config/**/*.ts'],
    [...STAGES, ...WIRING, 'metrics', 'pipeline'],
    'config/ describes and checks options; it imports no stage',
  ),
  layer(
    ['src/metrics/**/*.ts'],
    [...STAGES, ...WIRING],
    'metrics/ is bound to the stages by cli/, it does not import them',
  ),
  layer(['src/server/**/*.ts'], ['cli'], 'server/ serves what cli/ binds to it'),
  ...STAGES.map((stage) =>
    layer(
      [`src/${stage}/**/*.ts`],
      // The dashboard's routes plug into the probe server's request hook.
      [...without(STAGES, stage), ...(stage === 'dashboard' ? ['cli'] : WIRING)],
      `${stage}/ is a stage: stages meet only through pipeline/ types, and cli/ wires them`,
    ),
  ),
  layer(
    ['src/*.ts', 'src/support/**/*.ts'],
    [...STAGES, ...WIRING, 'config', 'metrics', 'pipeline', 'net', 'topic'],
    'support/ (and errors, logger) are used by every layer and import none',
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tap/**', 'test/services/.work/**', '.demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Type-aware: a promise that is neither awaited nor handled loses its error
    // (an unhandled rejection ends the process) and its ordering.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // tap queues and awaits a subtest itself; `t.test(...)` unawaited is its idiom.
          allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: '@tapjs/test' }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  ...layers,
);
