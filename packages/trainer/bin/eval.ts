#!/usr/bin/env -S npx tsx
// eval: benchmarks of trained runs, one subcommand each (pnpm eval <benchmark> --help).
import { Command } from 'commander';
import { coloredMnistCommand, correspondenceCommand } from '@oxels/trainer';

const program = new Command('eval')
  .description('Evaluate trained descriptors.')
  .showHelpAfterError()
  .addCommand(correspondenceCommand())
  .addCommand(coloredMnistCommand());

await program.parseAsync();
