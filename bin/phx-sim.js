#!/usr/bin/env node
// The simulated Proxmox node as a command: `phx-sim pct list`.
import { simMain } from '../dist/src/sim/cli.js';
process.exitCode = await simMain(process.argv.slice(2));
