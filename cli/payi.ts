#!/usr/bin/env node
/**
 * The `payi` command (package `bin`): `payi collector`, `payi report`, `payi replay FILE`, `payi demo`.
 * Run `payi --help` or `payi <command> --help`.
 */
import { runCli } from './program';

void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
