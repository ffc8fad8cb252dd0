// Whether something already listens on a loopback port, checked by connecting: the
// harness refuses to start a service on a port it does not own rather than fail late.
import { connect } from 'node:net';

/**
 * @param {string} host
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portInUse(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (inUse) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(1000, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
