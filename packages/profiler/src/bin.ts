#!/usr/bin/env node
/**
 * The `flint-profile` executable; see {@link main}.
 * @module
 */
import { main } from './cli.js';

process.exitCode = main(process.argv.slice(2));
