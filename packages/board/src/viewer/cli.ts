#!/usr/bin/env node
/**
 * The `flint-board` executable: `flint-board --logdir DIR [--port 6006] [--host 127.0.0.1]`.
 * @module
 */
import { main } from './main.js';

void main(process.argv.slice(2));
