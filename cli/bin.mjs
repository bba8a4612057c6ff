#!/usr/bin/env node
// The CLI is TypeScript like the rest of the gateway; tsx compiles it on the fly, so there is no
// build step between a change and `npx consent-gateway`.
import 'reflect-metadata';
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
