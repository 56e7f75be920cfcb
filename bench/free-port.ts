// A port nothing listens on right now, picked by the kernel: benchmarks share no fixed port.
import net from 'node:net';

// Binds port 0 on 127.0.0.1, reads the port, releases it.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
