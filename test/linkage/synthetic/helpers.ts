import { Writable } from 'node:stream';

/** A Writable that keeps everything written to it, optionally slowly, to exercise backpressure. */
export function collector(options: { slow?: boolean; highWaterMark?: number } = {}): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (options.slow === true) setImmediate(callback);
      else callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
