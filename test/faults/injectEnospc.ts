// Test-only preload (node --import): the disk fills up after OXELS_FAULT_ENOSPC_AFTER_BYTES bytes
// written to shard temporaries (*.tar.tmp). Every later write to one fails as a full disk does, with
// Node's own ENOSPC error; other files are untouched. It wraps the fs calls of fs.WriteStream, so the
// code under test runs unchanged.
import fs from 'node:fs';
import { constants } from 'node:os';

const limit = Number(process.env.OXELS_FAULT_ENOSPC_AFTER_BYTES);
if (!Number.isSafeInteger(limit) || limit < 0) {
  throw new Error(`injectEnospc: OXELS_FAULT_ENOSPC_AFTER_BYTES must be a byte count (got ${limit})`);
}

const shardFds = new Set<number>();
let written = 0;

type Callback = (err: NodeJS.ErrnoException | null, ...rest: unknown[]) => void;
type FsCall = (...args: unknown[]) => void;

/** The error libuv gives a write to a full disk. */
function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    errno: -constants.errno.ENOSPC,
    code: 'ENOSPC',
    syscall: 'write',
  });
}

const open = fs.open as FsCall;
fs.open = ((path: fs.PathLike, ...rest: unknown[]) => {
  const callback = rest.pop() as Callback;
  open(path, ...rest, (err: NodeJS.ErrnoException | null, fd: number) => {
    if (!err && String(path).endsWith('.tar.tmp')) shardFds.add(fd);
    callback(err, fd);
  });
}) as typeof fs.open;

const close = fs.close as FsCall;
fs.close = ((fd: number, ...rest: unknown[]) => {
  shardFds.delete(fd);
  close(fd, ...rest);
}) as typeof fs.close;

/** Counts a write to a shard temporary; false once it would pass the limit. */
function fits(fd: number, bytes: number): boolean {
  if (!shardFds.has(fd)) return true;
  if (written + bytes > limit) return false;
  written += bytes;
  return true;
}

// fs.write(fd, buffer, offset, length, position, callback), as WriteStream calls it.
const write = fs.write as FsCall;
fs.write = ((fd: number, buffer: NodeJS.ArrayBufferView, ...rest: unknown[]) => {
  const length = typeof rest[1] === 'number' ? rest[1] : buffer.byteLength;
  if (fits(fd, length)) write(fd, buffer, ...rest);
  else process.nextTick(rest.at(-1) as Callback, enospc());
}) as typeof fs.write;

const writev = fs.writev as FsCall;
fs.writev = ((fd: number, buffers: NodeJS.ArrayBufferView[], ...rest: unknown[]) => {
  const length = buffers.reduce((n, b) => n + b.byteLength, 0);
  if (fits(fd, length)) writev(fd, buffers, ...rest);
  else process.nextTick(rest.at(-1) as Callback, enospc());
}) as typeof fs.writev;
