// One command to a QEMU over its QMP socket (qemu-qmp-ref(7)): read the greeting, negotiate
// capabilities, send the command, resolve with its "return" or reject with its "error".
import net from 'node:net';

export function qmpCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath });
    const timer = setTimeout(() => finish(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`)), timeoutMs);
    let buffer = '';
    let step: 'greeting' | 'capabilities' | 'command' = 'greeting';
    const finish = (error: Error | null, value?: unknown): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    socket.once('error', (error) => finish(new Error(`QMP ${command} on ${socketPath}: ${error.message}`)));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === '') continue;
        const message = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
        if (message.event !== undefined) continue;
        if (message.error) return finish(new Error(`QMP ${command}: ${message.error.desc ?? JSON.stringify(message.error)}`));
        if (step === 'greeting' && message.QMP !== undefined) {
          step = 'capabilities';
          socket.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        } else if (step === 'capabilities' && 'return' in message) {
          step = 'command';
          socket.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (step === 'command' && 'return' in message) finish(null, message.return);
      }
    });
  });
}
