import { resolve } from 'node:path';
import { BACKEND_NAMES, type BackendName, initBackend, loadRun } from '@oxels/trainer';
import { Command, Option } from 'commander';
import { DEFAULT_VIEWER_PORT } from '../constants.ts';
import { InspectError } from '../errors.ts';
import { colourDescriptors, type DescriptorSource } from '../viewer/DescriptorSource.ts';
import { runDescriptorSource } from '../viewer/runDescriptors.ts';
import { startViewer, type ViewerServer } from '../viewer/startViewer.ts';
import { type CliIO, captureCommander, EXIT } from '@oxels/core';
import { intArg, runCli } from './cliUtils.ts';

/**
 * `pnpm view DATA [--port P] [--host H] [--descriptors rgb | --run RUN]`: starts the browser viewer of a dataset
 * and prints its address. Resolves with the exit code and, when it started, the running server (the
 * caller keeps the process alive and closes it on a signal); never exits the process.
 */
export async function runView(
  argv: string[],
  io: CliIO,
): Promise<{ code: number; server: ViewerServer | null }> {
  let server: ViewerServer | null = null;
  const program = captureCommander(
    new Command('view')
      .description('Browse a dataset in the browser: both views, hover a pixel of A to see its match in B.')
      .argument('<data>', 'dataset directory (the --out of gen-scenes)')
      .option(
        '--port <p>',
        'port to listen on (0: any free port)',
        intArg('--port', 0, 65535),
        DEFAULT_VIEWER_PORT,
      )
      .option('--host <h>', 'interface to listen on (0.0.0.0 to serve the network)', '127.0.0.1')
      .addOption(
        new Option(
          '--descriptors <source>',
          'descriptors for the distance heatmap (rgb: pixel colour, a baseline)',
        ).choices(['rgb']),
      )
      .option('--run <dir>', "a training run: heatmaps and PCA of the run's descriptors")
      .addOption(
        new Option('--backend <name>', 'with --run: tensor backend')
          .choices([...BACKEND_NAMES])
          .default('auto'),
      ),
    io,
  );
  const code = await runCli('view', io, async () => {
    program.parse(argv, { from: 'user' });
    const [data] = program.processedArgs as [string];
    const o = program.opts<{
      port: number;
      host: string;
      descriptors?: 'rgb';
      run?: string;
      backend: BackendName;
    }>();
    if (o.run && o.descriptors) {
      throw new InspectError(
        'BAD_ARGUMENT',
        'view: --run and --descriptors both choose descriptors; give one',
      );
    }
    let descriptors: DescriptorSource | null = o.descriptors === 'rgb' ? colourDescriptors : null;
    if (o.run) {
      const backend = await initBackend(o.backend);
      descriptors = runDescriptorSource(loadRun(resolve(o.run)));
      io.err(`descriptors: ${descriptors.name} on ${backend.backend} (${backend.device})\n`);
    }
    server = await startViewer(data, {
      port: o.port,
      host: o.host,
      descriptors,
      onLog: (line) => io.err(`${line}\n`),
    });
    io.out(
      `viewer of ${server.index.dir} (${server.index.pairs.length} pairs) at ${server.url}  (Ctrl-C to stop)\n`,
    );
    return EXIT.ok;
  });
  return { code, server };
}
