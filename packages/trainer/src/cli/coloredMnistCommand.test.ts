import { describe, expect, it } from 'vitest';
import { coloredMnistCommand } from './coloredMnistCommand.ts';

describe('eval colored-mnist flags', () => {
  it("keeps 'all' for the image counts (commander turns a parser's null into '', which took 0 images)", async () => {
    const cmd = coloredMnistCommand().exitOverride();
    cmd.action(() => {});
    await cmd.parseAsync(['--run', 'r', '--train-images', 'all', '--eval-images', '7'], { from: 'user' });
    expect(cmd.opts()).toMatchObject({ trainImages: 'all', evalImages: 7 });
    const bad = coloredMnistCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => {} });
    await expect(bad.parseAsync(['--run', 'r', '--train-images', 'some'], { from: 'user' })).rejects.toThrow(
      /--train-images must be a positive integer or "all" \(got "some"\)/,
    );
  });
});
