// Lease owners shared by every lease (feed leases, scheduler job leases, outbox send leases): the
// owner names its host and pid, so a restarted process takes over at once what a killed predecessor
// on this machine held, instead of waiting for the lease to expire.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** `host:pid:random`: the host and pid let a restarted process recognise its dead predecessor. */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * True when `owner` names a process on this machine that no longer exists. A live process (or a
 * pid reused by another process) and an owner on another host are never taken for dead: those
 * leases wait for their expiry.
 */
export function isDeadLocalOwner(owner: string): boolean {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(owner);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
