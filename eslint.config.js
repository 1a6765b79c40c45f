// Lint rules for the whole repository: typescript-eslint's recommended set plus React hooks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'release', 'test-results', 'bench-data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Only the Electron glue may import 'electron' (DESIGN.md: the core runs under plain Node).
    files: ['src/**/*.{ts,tsx}'],
    ignores: [
      'src/main/index.ts',
      'src/main/window.ts',
      'src/main/security.ts',
      'src/main/ipc.ts',
      'src/preload/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only the Electron glue files may import electron.' }] },
      ],
    },
  },
);
